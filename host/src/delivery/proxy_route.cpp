#include "delivery/proxy_route.hpp"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/String.h>
#include <Poco/URI.h>

namespace telemetry {
namespace {

std::string environment(const char* lower, const char* upper) {
  for (const char* name : {lower, upper}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// The URL as it may appear in a message: user name kept, password replaced.
std::string redacted(const std::string& url) {
  const auto at = url.rfind('@');
  const auto scheme = url.find("://");
  const auto userStart = scheme == std::string::npos ? 0 : scheme + 3;
  if (at == std::string::npos || at < userStart) return url;
  const auto colon = url.find(':', userStart);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

ProxyRoute ProxyRoute::parse(const std::string& url) {
  const std::string full = url.find("://") == std::string::npos ? "http://" + url : url;
  Poco::URI uri;
  try {
    uri = Poco::URI(full);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("proxy '" + redacted(url) + "' is not a URL");
  }
  // Poco tunnels to the proxy in clear text only; an https:// proxy would silently not be one.
  if (Poco::toLower(uri.getScheme()) != "http" || uri.getHost().empty()) {
    throw std::invalid_argument("proxy '" + redacted(url) + "' must be http://host:port");
  }
  ProxyRoute route;
  route.host = uri.getHost();
  route.port = uri.getPort();
  const std::string userInfo = uri.getUserInfo();
  if (!userInfo.empty()) {
    const auto colon = userInfo.find(':');
    Poco::URI::decode(userInfo.substr(0, colon), route.username);
    if (colon != std::string::npos) Poco::URI::decode(userInfo.substr(colon + 1), route.password);
  }
  return route;
}

std::optional<ProxyRoute> ProxyRoute::choose(const std::string& configured,
                                             const std::string& scheme,
                                             const std::string& endpointHost) {
  if (!configured.empty()) return parse(configured);
  // Loopback gets no exception of its own: like curl, the environment proxies every host
  // that NO_PROXY does not list, so an operator has one rule to read.
  if (scheme != "https") return std::nullopt;
  const std::string proxy = environment("https_proxy", "HTTPS_PROXY");
  if (proxy.empty() || noProxyExempts(endpointHost, environment("no_proxy", "NO_PROXY"))) {
    return std::nullopt;
  }
  return parse(proxy);
}

std::string ProxyRoute::address() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool noProxyExempts(const std::string& host, const std::string& noProxy) {
  const std::string name = Poco::toLower(host);
  Poco::Net::IPAddress ignored;
  const bool isAddress = Poco::Net::IPAddress::tryParse(name, ignored);
  std::istringstream list(noProxy);
  std::string entry;
  while (std::getline(list, entry, ',')) {
    entry = Poco::toLower(trimmed(entry));
    if (entry == "*") return true;
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry.empty()) continue;
    if (name == entry) return true;
    // Domain suffixes only for names: "0.0.1" must not exempt 127.0.0.1.
    if (!isAddress && name.size() > entry.size() && name.ends_with(entry) &&
        name[name.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace telemetry
