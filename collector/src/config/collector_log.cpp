#include "config/collector_log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace telemetry::collector {

std::shared_ptr<spdlog::logger> CollectorLog::get() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (auto logger = spdlog::get("telemetry.collector")) return logger;
  return spdlog::stderr_logger_mt("telemetry.collector");
}

void CollectorLog::setLevel(const std::string& level) {
  get()->set_level(spdlog::level::from_str(level));
}

}  // namespace telemetry::collector
