#include "config/collector_log.hpp"

#include "telemetry/settings/loggers.hpp"

namespace telemetry::collector {

std::shared_ptr<spdlog::logger> CollectorLog::get() {
  // spdlog's default layout, which the collector's log lines have always had.
  return settings::logger("telemetry.collector", "%+");
}

void CollectorLog::setLevel(const std::string& level) { settings::setLogLevel(level); }

}  // namespace telemetry::collector
