// The host's spdlog logger "telemetry" (the spec's telemetry logger). It writes to stderr so
// that stdout carries nothing but the report.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace telemetry {

/// The shared logger; created on first use.
std::shared_ptr<spdlog::logger> logger();

/// A child logger such as "telemetry.catalog", sharing the sink and level.
std::shared_ptr<spdlog::logger> logger(const std::string& child);

/// `text` made safe for one log line, for anything that comes from outside (a client, a
/// plugin, a file): control characters (C0, DEL, C1) and bytes that are not UTF-8 become
/// \n, \t, \xNN or \u00NN, so nobody can forge log lines or send terminal escape codes.
/// Cut after `maxBytes`, saying how many bytes were left out.
std::string printable(std::string_view text, std::size_t maxBytes = 1000);

/// The level names `--log-level` and `logging.level` accept, most verbose first.
inline constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                               "error", "critical", "off"};

/// "must be one of trace, debug, ..., not 'x' (did you mean 'y'?)", for either way in.
std::string logLevelChoice(const std::string& level);

/// Sets the level of every telemetry logger; false for a name not in kLogLevels.
bool setLogLevel(const std::string& level);

}  // namespace telemetry
