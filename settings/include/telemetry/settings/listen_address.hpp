// Where a server listens, as written in configuration: "HOST:PORT" or "[IPv6]:PORT".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace telemetry::settings {

/// A parsed listen address; `host` has no brackets and is empty when the text had none
/// (":8443"), which each server reads its own way.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;

  /// "host:port", with an IPv6 host in brackets.
  std::string toString() const;
};

/// Reads "HOST:PORT", "[ADDRESS]:PORT" or "HOST-OR-V6:PORT" (split at the last colon); port
/// 0 to 65535. Throws std::invalid_argument saying what is wrong.
ListenAddress parseListenAddress(std::string_view text);

}  // namespace telemetry::settings
