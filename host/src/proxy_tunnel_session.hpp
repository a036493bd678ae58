// An HTTPS client session that opens its proxy tunnel itself. Poco 1.11's CONNECT sends
// `Host` without the port and an IPv6 target without brackets; RFC 9110 (7.2, 9.3.6) wants
// the target's authority, host:port, in both the request target and Host.
#pragma once

#include <string>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>

namespace telemetry {

class ProxyTunnelSession : public Poco::Net::HTTPSClientSession {
 public:
  ProxyTunnelSession(const std::string& host, Poco::UInt16 port, Poco::Net::Context::Ptr context);

  /// host:port, with an IPv6 host in brackets: the CONNECT target and its Host header.
  static std::string authority(const std::string& host, Poco::UInt16 port);

 protected:
  /// Without a proxy as Poco does; with one, CONNECT (Basic credentials when configured),
  /// then TLS to the endpoint through the tunnel.
  void connect(const Poco::Net::SocketAddress& address) override;

 private:
  Poco::Net::Context::Ptr context_;
};

}  // namespace telemetry
