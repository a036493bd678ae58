// Times as the CLI prints them: ISO 8601 in UTC, to the second.
#pragma once

#include <chrono>
#include <string>

namespace telemetry::cli {

std::string timeText(std::chrono::system_clock::time_point at);

}  // namespace telemetry::cli
