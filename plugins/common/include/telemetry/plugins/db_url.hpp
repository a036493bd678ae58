// A database URL (scheme://user:password@host:port/database) split into its parts, for the
// database probes. Errors name the part that is wrong and never repeat the password.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace telemetry::plugins {

/// Thrown by DbUrl::parse; the message starts with "url: " and holds no password.
class DbUrlError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct DbUrl {
  std::string scheme;  ///< as written, lower case, e.g. "postgresql"
  std::string host;    ///< without brackets for IPv6
  std::uint16_t port = 0;
  std::string user;      ///< percent-decoded; may be empty
  std::string password;  ///< percent-decoded; may be empty
  std::string database;  ///< percent-decoded; may be empty

  /// Parses `text`, whose scheme must be one of `schemes`; `defaultPort` when none is given.
  static DbUrl parse(std::string_view text, std::initializer_list<std::string_view> schemes,
                     std::uint16_t defaultPort);

  /// "host:port" ("[::1]:5432" for IPv6), the form used in messages.
  std::string endpoint() const;
  /// The URL with the password shown as "***", safe for logs.
  std::string redacted() const;
  /// `text` with every occurrence of the password replaced by "***": drivers' messages
  /// are passed through this before they leave the probe.
  std::string withoutPassword(std::string text) const;
};

}  // namespace telemetry::plugins
