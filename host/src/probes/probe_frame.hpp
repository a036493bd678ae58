// One message of the protocol between the host and its telemetry-probe children: a type
// byte, a 32-bit little-endian payload length, the payload. Requests go to the child's
// stdin; answers and log lines come back on its descriptor 3, apart from stdout and
// stderr, so nothing a plugin prints can be mistaken for its answer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "telemetry/plugin/context.hpp"
#include "telemetry/plugin/result.hpp"

namespace telemetry {

/// The child's descriptor for answer and log frames (0-2 are stdin, stdout, stderr).
inline constexpr int kProbeChannelFd = 3;

struct ProbeFrame {
  enum class Type : char {
    settings = 'S',  ///< host to child: the probe's settings JSON
    fact = 'F',      ///< host to child: a host fact, "name\0value"
    log = 'L',       ///< child to host: a digit (plugin::LogLevel), then the line
    result = 'R',    ///< child to host: a digit (plugin::Result::Kind), then its text
  };
  static constexpr std::size_t kHeaderBytes = 5;

  Type type;
  std::string payload;

  /// The frame as bytes on the wire.
  std::string encode() const;
};

/// A log frame's level and line (a view into `frame`); nullopt for any other frame or a
/// level that is not a digit 0-3.
std::optional<std::pair<plugin::LogLevel, std::string_view>> logLineOf(const ProbeFrame& frame);
/// A view into a temporary would dangle (ASan found one in a test).
std::optional<std::pair<plugin::LogLevel, std::string_view>> logLineOf(ProbeFrame&&) = delete;

/// A result frame's result; nullopt for any other frame, or a kind that is not a digit 0-2
/// (an empty payload included).
std::optional<plugin::Result> resultOf(const ProbeFrame& frame);

}  // namespace telemetry
