#include "abuse/client_address_resolver.hpp"

#include <Poco/String.h>

#include <charconv>
#include <cstring>
#include <stdexcept>

namespace telemetry::collector {
namespace {

// Compares the first `prefix` bits; v4-mapped peers are compared as IPv4.
Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address) {
  if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return Poco::Net::IPAddress(bytes + 12, 4);
  }
  return address;
}

bool samePrefix(const Poco::Net::IPAddress& a, const Poco::Net::IPAddress& b, unsigned prefix) {
  if (a.family() != b.family()) return false;
  const auto* x = static_cast<const unsigned char*>(a.addr());
  const auto* y = static_cast<const unsigned char*>(b.addr());
  const unsigned whole = prefix / 8;
  if (std::memcmp(x, y, whole) != 0) return false;
  const unsigned bits = prefix % 8;
  if (bits == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFF << (8 - bits));
  return (x[whole] & mask) == (y[whole] & mask);
}

}  // namespace

ClientAddressResolver::ClientAddressResolver(const std::vector<std::string>& trustedProxies) {
  for (const auto& entry : trustedProxies) {
    const auto slash = entry.find('/');
    Poco::Net::IPAddress network;
    if (!Poco::Net::IPAddress::tryParse(entry.substr(0, slash), network)) {
      throw std::invalid_argument("trusted proxy '" + entry + "' is not an IP address or block");
    }
    network = unmapped(network);
    const unsigned maxPrefix = network.family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
    unsigned prefix = maxPrefix;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (error != std::errc() || end != bits.data() + bits.size() || prefix > maxPrefix) {
        throw std::invalid_argument("trusted proxy '" + entry + "' has a bad prefix length");
      }
    }
    trusted_.push_back(Block{network, prefix});
  }
}

bool ClientAddressResolver::isTrusted(const Poco::Net::IPAddress& address) const {
  const auto candidate = unmapped(address);
  for (const auto& block : trusted_) {
    if (samePrefix(candidate, block.network, block.prefix)) return true;
  }
  return false;
}

std::string ClientAddressResolver::resolve(const Poco::Net::IPAddress& peer,
                                           const std::string& forwardedFor) const {
  if (forwardedFor.empty() || !isTrusted(peer)) return unmapped(peer).toString();
  std::string rest = forwardedFor;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string entry =
        Poco::trim(comma == std::string::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string::npos ? std::string() : rest.substr(0, comma);
    Poco::Net::IPAddress address;
    if (!Poco::Net::IPAddress::tryParse(entry, address)) break;  // garbage: trust the peer
    if (!isTrusted(address)) return unmapped(address).toString();
  }
  return unmapped(peer).toString();
}

}  // namespace telemetry::collector
