// Whether a host name or address is this machine: where plain http and unauthenticated
// listeners are allowed.
#pragma once

#include <string>

#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>

namespace telemetry {

/// "localhost" (any case), or an IPv4/IPv6 loopback address, bracketed or not.
inline bool isLoopbackHost(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (Poco::toLower(host) == "localhost") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

}  // namespace telemetry
