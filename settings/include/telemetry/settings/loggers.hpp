// The process's spdlog loggers: every one writes to one stderr sink (stdout may carry a
// program's output) at one level, each program choosing its names and line layout.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

namespace telemetry::settings {

/// The level names a configuration's `logging.level` accepts, most verbose first.
inline constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                               "error", "critical", "off"};

/// The logger `name`, created on first use with lines laid out by `pattern` (spdlog's
/// syntax) at the level setLogLevel chose last; later calls return it as it is.
std::shared_ptr<spdlog::logger> logger(const std::string& name, const std::string& pattern);

/// Sets the level of every logger made by logger(), and of those made later; false (and
/// nothing changed) for a name not in kLogLevels.
bool setLogLevel(std::string_view level);

/// "must be one of trace, debug, ..., not 'x' (did you mean 'y'?)".
std::string logLevelChoice(std::string_view level);

}  // namespace telemetry::settings
