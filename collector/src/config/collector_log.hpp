// The collector's one logger, "telemetry.collector", writing to stderr.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace telemetry::collector {

/// Never pass a client IP to this logger: the privacy promise covers logs too.
class CollectorLog {
 public:
  /// The shared logger, created on first use.
  static std::shared_ptr<spdlog::logger> get();
  /// Sets the level by name (trace, debug, info, warn, error, critical, off).
  static void setLevel(const std::string& level);
};

}  // namespace telemetry::collector
