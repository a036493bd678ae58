#include "telemetry/plugins/db_url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace telemetry::plugins {
namespace {

std::string lowerCase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `part` names the component in the error; the value itself is never echoed, as it may be
// the password.
std::string percentDecoded(std::string_view text, std::string_view part) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      throw DbUrlError("url: the " + std::string(part) +
                       " has a '%' not followed by two hex digits (write '%25' for '%')");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::uint16_t parsePort(std::string_view text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value == 0 ||
      value > 65535) {
    throw DbUrlError("url: port '" + std::string(text) + "' is not a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

std::string schemeList(std::initializer_list<std::string_view> schemes) {
  std::string out;
  for (std::string_view s : schemes) {
    if (!out.empty()) out += " or ";
    out += "'" + std::string(s) + "://'";
  }
  return out;
}

}  // namespace

DbUrl DbUrl::parse(std::string_view text, std::initializer_list<std::string_view> schemes,
                   std::uint16_t defaultPort) {
  DbUrl url;
  const std::size_t schemeEnd = text.find("://");
  if (schemeEnd == std::string_view::npos) {
    throw DbUrlError("url: expected " + schemeList(schemes) + " followed by user@host:port/db");
  }
  url.scheme = lowerCase(text.substr(0, schemeEnd));
  if (std::find(schemes.begin(), schemes.end(), url.scheme) == schemes.end()) {
    throw DbUrlError("url: scheme '" + url.scheme + "://' is not supported here, expected " +
                     schemeList(schemes));
  }
  std::string_view rest = text.substr(schemeEnd + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    throw DbUrlError("url: query parameters and fragments ('?', '#') are not supported");
  }

  // The last '@' ends the user info, so an unencoded '@' or '/' in a password still works.
  std::string_view userInfo;
  const std::size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    userInfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  const std::size_t slash = rest.find('/');
  std::string_view hostPort = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    url.database = percentDecoded(rest.substr(slash + 1), "database name");
    if (url.database.find('/') != std::string::npos) {
      throw DbUrlError("url: the database name must not contain '/'");
    }
  }

  const std::size_t colon = userInfo.find(':');
  url.user = percentDecoded(userInfo.substr(0, colon), "user name");
  if (colon != std::string_view::npos) {
    url.password = percentDecoded(userInfo.substr(colon + 1), "password");
  }

  std::optional<std::string_view> portText;
  if (hostPort.starts_with('[')) {
    const std::size_t close = hostPort.find(']');
    if (close == std::string_view::npos) throw DbUrlError("url: '[' of an IPv6 host is not closed");
    url.host = std::string(hostPort.substr(1, close - 1));
    std::string_view after = hostPort.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw DbUrlError("url: expected ':port' after the IPv6 host");
      portText = after.substr(1);
    }
  } else {
    const std::size_t portColon = hostPort.find(':');
    url.host = std::string(hostPort.substr(0, portColon));
    if (portColon != std::string_view::npos) portText = hostPort.substr(portColon + 1);
  }
  if (url.host.empty()) throw DbUrlError("url: the host is missing");
  url.port = portText ? parsePort(*portText) : defaultPort;
  return url;
}

std::string DbUrl::endpoint() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string DbUrl::redacted() const {
  std::string out = scheme + "://";
  if (!user.empty() || !password.empty()) {
    out += user;
    if (!password.empty()) out += ":***";
    out += "@";
  }
  out += endpoint();
  if (!database.empty()) out += "/" + database;
  return out;
}

std::string DbUrl::withoutPassword(std::string text) const {
  if (password.empty()) return text;
  for (std::size_t at = text.find(password); at != std::string::npos;
       at = text.find(password, at + 3)) {
    text.replace(at, password.size(), "***");
  }
  return text;
}

}  // namespace telemetry::plugins
