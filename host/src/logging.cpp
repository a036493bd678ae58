#include "telemetry/logging.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

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

bool setLogLevel(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
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
