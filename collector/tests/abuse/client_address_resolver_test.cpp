#include <gtest/gtest.h>

#include "abuse/client_address_resolver.hpp"

namespace telemetry::collector {
namespace {

Poco::Net::IPAddress ip(const std::string& text) { return Poco::Net::IPAddress(text); }

TEST(ClientAddressResolverTest, IgnoresForwardedForFromAnUntrustedPeer) {
  ClientAddressResolver resolver({});
  EXPECT_EQ(resolver.resolve(ip("192.0.2.10"), "198.51.100.7"), "192.0.2.10");
}

TEST(ClientAddressResolverTest, BelievesForwardedForFromATrustedProxy) {
  ClientAddressResolver resolver({"192.0.2.10"});
  EXPECT_EQ(resolver.resolve(ip("192.0.2.10"), "198.51.100.7"), "198.51.100.7");
}

TEST(ClientAddressResolverTest, TakesTheRightmostUntrustedHop) {
  ClientAddressResolver resolver({"10.0.0.0/8"});
  EXPECT_EQ(resolver.resolve(ip("10.1.2.3"), "203.0.113.9, 198.51.100.7, 10.9.9.9"),
            "198.51.100.7");
}

TEST(ClientAddressResolverTest, MatchesCidrBlocks) {
  ClientAddressResolver resolver({"192.0.2.0/25"});
  EXPECT_TRUE(resolver.isTrusted(ip("192.0.2.100")));
  EXPECT_FALSE(resolver.isTrusted(ip("192.0.2.200")));
}

TEST(ClientAddressResolverTest, TreatsIpv4MappedPeersAsIpv4) {
  ClientAddressResolver resolver({"127.0.0.1"});
  EXPECT_TRUE(resolver.isTrusted(ip("::ffff:127.0.0.1")));
}

TEST(ClientAddressResolverTest, FallsBackToThePeerOnGarbage) {
  ClientAddressResolver resolver({"192.0.2.10"});
  EXPECT_EQ(resolver.resolve(ip("192.0.2.10"), "not-an-ip"), "192.0.2.10");
}

TEST(ClientAddressResolverTest, RefusesABadProxyEntry) {
  EXPECT_THROW(ClientAddressResolver({"proxy.example.org"}), std::invalid_argument);
  EXPECT_THROW(ClientAddressResolver({"10.0.0.0/33"}), std::invalid_argument);
}

}  // namespace
}  // namespace telemetry::collector
