// Decides which address a request came from, believing X-Forwarded-For only from trusted proxies.
#pragma once

#include <Poco/Net/IPAddress.h>

#include <string>
#include <vector>

namespace telemetry::collector {

/// Trusted proxies are addresses or CIDR blocks ("10.0.0.0/8", "::1"). The client is the
/// right-most X-Forwarded-For entry that is not itself a trusted proxy: entries to its left
/// were written by the client and prove nothing.
class ClientAddressResolver {
 public:
  /// Throws std::invalid_argument naming an entry that is not an address or block.
  explicit ClientAddressResolver(const std::vector<std::string>& trustedProxies);

  std::string resolve(const Poco::Net::IPAddress& peer, const std::string& forwardedFor) const;

  bool isTrusted(const Poco::Net::IPAddress& address) const;

 private:
  struct Block {
    Poco::Net::IPAddress network;
    unsigned prefix;
  };
  std::vector<Block> trusted_;
};

}  // namespace telemetry::collector
