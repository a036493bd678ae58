// Whether this host may send anything at all: `reporter-activate: false` and DO_NOT_TRACK
// forbid every request, even the initial report.
#pragma once

#include <optional>
#include <string>

#include "telemetry/config.hpp"

namespace telemetry {

/// True when DO_NOT_TRACK is set to a non-empty value other than "0".
bool doNotTrack();

/// Why nothing may be sent ("reporter-activate is false", "DO_NOT_TRACK is set"), or
/// nullopt when sending is allowed. The opt-in switch is not considered here.
std::optional<std::string> sendingForbidden(const TelemetryConfig& config);

}  // namespace telemetry
