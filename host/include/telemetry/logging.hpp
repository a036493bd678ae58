// The host's spdlog logger "telemetry" (the spec's telemetry logger). It writes to stderr so
// that stdout carries nothing but the report.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace telemetry {

/// The shared logger; created on first use.
std::shared_ptr<spdlog::logger> logger();

/// A child logger such as "telemetry.catalog", sharing the sink and level.
std::shared_ptr<spdlog::logger> logger(const std::string& child);

/// The level names `--log-level` and `logging.level` accept, most verbose first.
inline constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                               "error", "critical", "off"};

/// "must be one of trace, debug, ..., not 'x' (did you mean 'y'?)", for either way in.
std::string logLevelChoice(const std::string& level);

/// Sets the level of every telemetry logger; false for a name not in kLogLevels.
bool setLogLevel(const std::string& level);

}  // namespace telemetry
