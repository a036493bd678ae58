#include "delivery/proxy_tunnel_session.hpp"

#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>

namespace telemetry {

ProxyTunnelSession::ProxyTunnelSession(const std::string& host, Poco::UInt16 port,
                                       Poco::Net::Context::Ptr context, AttemptDeadline& deadline)
    : HTTPSClientSession(host, port, context), context_(std::move(context)), deadline_(deadline) {}

std::string ProxyTunnelSession::authority(const std::string& host, Poco::UInt16 port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void ProxyTunnelSession::connect(const Poco::Net::SocketAddress& address) {
  Poco::Net::StreamSocket tcp = deadline_.connect(address, getTimeout());
  if (getProxyHost().empty() || bypassProxy()) {
    attachSocket(Poco::Net::SecureStreamSocket::attach(tcp, getHost(), context_));
    return;
  }
  Poco::Net::HTTPClientSession proxy(tcp);  // no host: it never connects on its own
  proxy.setTimeout(getTimeout());
  proxy.setKeepAlive(true);  // the connection becomes the tunnel
  const std::string target = authority(getHost(), getPort());
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_CONNECT, target,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  request.setHost(target);
  if (!getProxyUsername().empty()) {
    Poco::Net::HTTPBasicCredentials(getProxyUsername(), getProxyPassword())
        .proxyAuthenticate(request);
  }
  proxy.sendRequest(request);
  Poco::Net::HTTPResponse response;
  proxy.receiveResponse(response);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw Poco::Net::HTTPException("Cannot establish proxy connection", response.getReason());
  }
  attachSocket(Poco::Net::SecureStreamSocket::attach(proxy.detachSocket(), getHost(), context_));
}

}  // namespace telemetry
