#include "telemetry/logging.hpp"

#include <algorithm>
#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "telemetry/plugin/suggest.hpp"

namespace telemetry {
namespace {

struct Loggers {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum level = spdlog::level::info;
};

Loggers& loggers() {
  static Loggers instance;
  return instance;
}

}  // namespace

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  Loggers& all = loggers();
  std::lock_guard lock(all.mutex);
  if (auto existing = spdlog::get(name)) return existing;
  auto created = std::make_shared<spdlog::logger>(name, all.sink);
  created->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  created->set_level(all.level);
  spdlog::register_logger(created);
  return created;
}

std::shared_ptr<spdlog::logger> logger() { return logger("telemetry"); }

std::string logLevelChoice(const std::string& level) {
  std::string list;
  for (std::string_view name : kLogLevels) list += (list.empty() ? "" : ", ") + std::string(name);
  return "must be one of " + list + ", not '" + level + "'" + plugin::didYouMean(level, kLogLevels);
}

bool setLogLevel(const std::string& level) {
  // spdlog also takes "warning" and "err"; the configuration does not, so neither does this.
  if (std::find(kLogLevels.begin(), kLogLevels.end(), level) == kLogLevels.end()) return false;
  auto parsed = spdlog::level::from_str(level);
  Loggers& all = loggers();
  {
    std::lock_guard lock(all.mutex);
    all.level = parsed;
  }
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) {
    if (l->name().rfind("telemetry", 0) == 0) l->set_level(parsed);
  });
  return true;
}

}  // namespace telemetry
