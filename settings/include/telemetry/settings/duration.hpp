// The one duration grammar of every configuration file: plain seconds ("90") or a whole
// number with a unit, ms, s, m, h or d ("500ms", "15s", "10m", "24h", "400d").
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace telemetry::settings {

using Duration = std::chrono::milliseconds;

/// The longest duration accepted: timers count in nanoseconds, and a century stays far from
/// their overflow while beyond any use.
inline constexpr Duration kLongestDuration = std::chrono::hours(24 * 365 * 100);

/// Reads `text`; throws std::invalid_argument saying what is wrong ("'5w' has an unknown
/// unit (use ms, s, m, h or d)"): no digits, a sign or fraction, an unknown unit, too long.
Duration parseDuration(std::string_view text);

/// The largest exact unit, which parseDuration reads back: "400d", "36h", "90m", "45s",
/// "1500ms"; "0s" for zero.
std::string formatDuration(Duration duration);

}  // namespace telemetry::settings
