// The host's spdlog logger "telemetry" (the spec's telemetry logger) and its children. They
// write to stderr so that stdout carries nothing but the report.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "telemetry/settings/loggers.hpp"

namespace telemetry {

/// The layout of the host's log lines.
inline constexpr const char* kLogPattern = "%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v";

/// A child logger such as "telemetry.catalog", sharing the sink and level.
inline std::shared_ptr<spdlog::logger> logger(const std::string& child) {
  return settings::logger(child, kLogPattern);
}

/// The shared logger; created on first use.
inline std::shared_ptr<spdlog::logger> logger() { return logger("telemetry"); }

/// `text` made safe for one log line, for anything that comes from outside (a client, a
/// plugin, a file): control characters (C0, DEL, C1) and bytes that are not UTF-8 become
/// \n, \t, \xNN or \u00NN, so nobody can forge log lines or send terminal escape codes.
/// Cut after `maxBytes`, saying how many bytes were left out.
std::string printable(std::string_view text, std::size_t maxBytes = 1000);

/// The level names `--log-level` and `logging.level` accept, most verbose first.
using settings::kLogLevels;
/// "must be one of trace, debug, ..., not 'x' (did you mean 'y'?)", for either way in.
using settings::logLevelChoice;
/// Sets the level of every telemetry logger; false for a name not in kLogLevels.
using settings::setLogLevel;

}  // namespace telemetry
