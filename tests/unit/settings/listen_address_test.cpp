#include "telemetry/settings/listen_address.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

using telemetry::settings::ListenAddress;
using telemetry::settings::parseListenAddress;

namespace {

std::string addressProblem(std::string_view text) {
  try {
    parseListenAddress(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no problem>";
}

TEST(ListenAddressTest, ReadsHostAndPort) {
  const ListenAddress address = parseListenAddress("0.0.0.0:9443");
  EXPECT_EQ(address.host, "0.0.0.0");
  EXPECT_EQ(address.port, 9443);
  EXPECT_EQ(parseListenAddress("localhost:0").port, 0);
  EXPECT_EQ(parseListenAddress("host:65535").port, 65535);
}

TEST(ListenAddressTest, ReadsABracketedIpv6AddressWithoutItsBrackets) {
  const ListenAddress address = parseListenAddress("[::1]:8085");
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 8085);
  EXPECT_EQ(address.toString(), "[::1]:8085");
}

TEST(ListenAddressTest, SplitsAnUnbracketedAddressAtTheLastColon) {
  EXPECT_EQ(parseListenAddress("::1:8085").host, "::1");
  EXPECT_EQ(parseListenAddress(":8443").host, "");
  EXPECT_EQ(parseListenAddress("127.0.0.1:8443").toString(), "127.0.0.1:8443");
}

TEST(ListenAddressTest, SaysWhatIsWrong) {
  EXPECT_EQ(addressProblem("localhost"), "expected HOST:PORT");
  EXPECT_EQ(addressProblem("[::1]8085"), "expected [ADDRESS]:PORT");
  EXPECT_EQ(addressProblem("[::1"), "expected [ADDRESS]:PORT");
  for (const char* bad : {"host:", "host:70000", "host:-1", "host:80x", "host:99999999999"}) {
    EXPECT_EQ(addressProblem(bad), "port must be a number from 0 to 65535") << bad;
  }
}

}  // namespace
