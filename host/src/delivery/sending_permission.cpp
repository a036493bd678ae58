#include "delivery/sending_permission.hpp"

#include <cstdlib>
#include <string_view>

namespace telemetry {

bool doNotTrack() {
  const char* value = std::getenv("DO_NOT_TRACK");
  return value != nullptr && *value != '\0' && std::string_view(value) != "0";
}

std::optional<std::string> sendingForbidden(const TelemetryConfig& config) {
  if (doNotTrack()) return "DO_NOT_TRACK is set";
  if (!config.reporterActivate) return "telemetry.reporter-activate is false";
  return std::nullopt;
}

}  // namespace telemetry
