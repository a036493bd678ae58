// The host's spdlog logger "telemetry" (the spec's telemetry logger). It writes to stderr so
// that stdout carries nothing but the report.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace telemetry {

/// The shared logger; created on first use.
std::shared_ptr<spdlog::logger> logger();

/// A child logger such as "telemetry.catalog", sharing the sink and level.
std::shared_ptr<spdlog::logger> logger(const std::string& child);

/// Sets the level of every telemetry logger ("trace" ... "off"); false for an unknown name.
bool setLogLevel(const std::string& level);

}  // namespace telemetry
