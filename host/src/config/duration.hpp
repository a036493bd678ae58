// Durations as written in configuration: plain seconds ("90") or with a unit
// ("500ms", "15s", "10m", "24h").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "telemetry/config.hpp"

namespace telemetry {

/// The parsed duration, or nullopt for anything else (negative, no digits, unknown unit).
std::optional<Duration> parseDuration(std::string_view text);

/// The shortest exact spelling, e.g. "24h", "1500ms".
std::string formatDuration(Duration duration);

}  // namespace telemetry
