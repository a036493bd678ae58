// Times as the CLI and the REST API show them: ISO 8601 in UTC, to the second.
#pragma once

#include <chrono>
#include <string>

namespace telemetry {

std::string timeText(std::chrono::system_clock::time_point at);

}  // namespace telemetry
