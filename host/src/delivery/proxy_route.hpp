// Which HTTP proxy a report goes through: telemetry.proxy when set, else HTTPS_PROXY unless
// NO_PROXY lists the endpoint's host; the Sender tunnels through it with CONNECT.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace telemetry {

struct ProxyRoute {
  std::string host;
  std::uint16_t port = 0;
  std::string username;  ///< empty: no Proxy-Authorization at all
  std::string password;

  /// Parses http://[user:pw@]host[:port]; the scheme may be left out, as environment
  /// variables often do. Throws std::invalid_argument naming the URL without its password.
  static ProxyRoute parse(const std::string& url);

  /// The proxy for a request to `scheme://endpointHost`: `configured` when set (for any
  /// host), else HTTPS_PROXY/https_proxy for https unless NO_PROXY/no_proxy lists the host.
  /// std::nullopt means a direct connection.
  static std::optional<ProxyRoute> choose(const std::string& configured, const std::string& scheme,
                                          const std::string& endpointHost);

  /// host:port, for messages; never the credentials.
  std::string address() const;
};

/// True when NO_PROXY (comma-separated; `*`, a host, or a domain with or without its leading
/// dot) exempts `host`. Names match case-insensitively; IP addresses only exactly.
bool noProxyExempts(const std::string& host, const std::string& noProxy);

}  // namespace telemetry
