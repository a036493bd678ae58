#include "telemetry/settings/loggers.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "telemetry/settings/did_you_mean.hpp"

namespace telemetry::settings {
namespace {

struct Loggers {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum level = spdlog::level::info;
  std::vector<std::shared_ptr<spdlog::logger>> made;
};

Loggers& loggers() {
  static Loggers instance;
  return instance;
}

}  // namespace

std::shared_ptr<spdlog::logger> logger(const std::string& name, const std::string& pattern) {
  Loggers& all = loggers();
  std::lock_guard lock(all.mutex);
  if (auto existing = spdlog::get(name)) return existing;
  auto created = std::make_shared<spdlog::logger>(name, all.sink);
  created->set_pattern(pattern);
  created->set_level(all.level);
  spdlog::register_logger(created);
  all.made.push_back(created);
  return created;
}

bool setLogLevel(std::string_view level) {
  // spdlog also takes "warning" and "err"; the configuration does not, so neither does this.
  if (std::find(kLogLevels.begin(), kLogLevels.end(), level) == kLogLevels.end()) return false;
  const auto parsed = spdlog::level::from_str(std::string(level));
  Loggers& all = loggers();
  std::lock_guard lock(all.mutex);
  all.level = parsed;
  for (const auto& made : all.made) made->set_level(parsed);
  return true;
}

std::string logLevelChoice(std::string_view level) {
  std::string list;
  for (std::string_view name : kLogLevels) list += (list.empty() ? "" : ", ") + std::string(name);
  return "must be one of " + list + ", not '" + std::string(level) + "'" +
         didYouMean(level, kLogLevels);
}

}  // namespace telemetry::settings
