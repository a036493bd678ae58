// An HTTPS client session that opens its proxy tunnel itself. Poco 1.11's CONNECT sends
// `Host` without the port and an IPv6 target without brackets; RFC 9110 (7.2, 9.3.6) wants
// the target's authority, host:port, in both the request target and Host. Its connection
// is opened through the attempt's deadline, which can cut the CONNECT and the TLS handshake.
#pragma once

#include <string>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>

#include "delivery/attempt_deadline.hpp"

namespace telemetry {

class ProxyTunnelSession : public Poco::Net::HTTPSClientSession {
 public:
  /// `deadline` must outlive the session.
  ProxyTunnelSession(const std::string& host, Poco::UInt16 port, Poco::Net::Context::Ptr context,
                     AttemptDeadline& deadline);

  /// host:port, with an IPv6 host in brackets: the CONNECT target and its Host header.
  static std::string authority(const std::string& host, Poco::UInt16 port);

 protected:
  /// TCP to the endpoint or the proxy; with a proxy, CONNECT (Basic credentials when
  /// configured); then TLS to the endpoint.
  void connect(const Poco::Net::SocketAddress& address) override;

 private:
  Poco::Net::Context::Ptr context_;
  AttemptDeadline& deadline_;
};

}  // namespace telemetry
