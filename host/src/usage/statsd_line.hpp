// One line of the StatsD text protocol as the usage listener reads it: counters of the
// four counted metrics and of commands, and task-worker sightings sent as a set.
#pragma once

#include <cstdint>
#include <string_view>
#include <variant>

#include "telemetry/usage_metric.hpp"

namespace telemetry {

/// What a good line counts. `name` is a view into the parsed line.
struct StatsdSample {
  enum class Kind {
    command,  ///< `command.NAME:N|c`
    metric,   ///< `root-process-instance-start:N|c` and the three other counted metrics
    worker,   ///< `worker:ID|s`
  };
  Kind kind = Kind::command;
  std::string_view name;  ///< the command name, the metric's name or the worker id
  Metric metric = Metric::rootProcessInstanceStart;  ///< for Kind::metric
  std::uint64_t count = 1;  ///< the counter divided by its sample rate; 1 for a worker
};

/// Why a line was refused; the listener warns once per reason (rate-limited).
enum class StatsdRejection {
  malformed,        ///< not `name:value|type`
  unsupportedType,  ///< a gauge, timer, histogram or any type but `c` and `s`
  badValue,         ///< a counter that is no whole number 1..2^63-1, a worker id of wrong length
  badSampleRate,    ///< `@rate` not above 0 and at most 1
  unknownField,     ///< a field after the type other than `@rate` and `#tags`
  unknownName,      ///< a counter that is no command or counted metric, a set other than worker
  badText,          ///< a command name or worker id that is not UTF-8 or holds NUL
};
inline constexpr std::size_t kStatsdRejectionCount = 7;

/// A sentence saying what is wrong and what would be accepted, for the warning.
std::string_view describe(StatsdRejection rejection) noexcept;

/// Parses one line without its line break: `name:value|type[|@rate][|#tags]`. Tags are
/// ignored; a counter value is scaled by 1/rate, rounded and capped at kMaxUsageCount.
/// Empty lines are not passed.
std::variant<StatsdSample, StatsdRejection> parseStatsdLine(std::string_view line) noexcept;

/// Calls `onLine` with each non-empty line of a datagram (LF or CRLF separated), as the
/// listener splits it.
template <typename OnLine>
void forEachStatsdLine(std::string_view datagram, OnLine&& onLine) {
  while (!datagram.empty()) {
    const auto newline = datagram.find('\n');
    std::string_view line = datagram.substr(0, newline);
    datagram =
        newline == std::string_view::npos ? std::string_view() : datagram.substr(newline + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty()) onLine(line);
  }
}

}  // namespace telemetry
