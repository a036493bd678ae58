#include "plugins/plugin_log.hpp"

#include <algorithm>
#include <cstdio>

#include "config/logging.hpp"
#include "report/utf8_text.hpp"

namespace telemetry {
namespace {

spdlog::level::level_enum toSpdlog(plugin::LogLevel level) {
  switch (level) {
    case plugin::LogLevel::debug:
      return spdlog::level::debug;
    case plugin::LogLevel::info:
      return spdlog::level::info;
    case plugin::LogLevel::warn:
      return spdlog::level::warn;
    case plugin::LogLevel::error:
      break;
  }
  return spdlog::level::err;
}

}  // namespace

PluginLog::PluginLog(std::string pluginName, std::size_t maxLines)
    : pluginName_(std::move(pluginName)), maxLines_(maxLines) {}

PluginLog::~PluginLog() {
  if (std::size_t dropped = dropped_.load(); dropped > 0) {
    try {
      logger("telemetry.plugin")
          ->warn("[{}] {} more log lines dropped (at most {} per collection)", pluginName_, dropped,
                 maxLines_);
    } catch (...) {
    }
  }
}

void PluginLog::write(plugin::LogLevel level, std::string_view message) noexcept {
  if (written_.fetch_add(1) >= maxLines_) {
    dropped_.fetch_add(1);
    return;
  }
  try {
    logger("telemetry.plugin")->log(toSpdlog(level), "[{}] {}", pluginName_, printable(message));
  } catch (...) {
  }
}

plugin::Context::LogSink PluginLog::sink(std::shared_ptr<PluginLog> log) {
  return [log = std::move(log)](plugin::LogLevel level, std::string_view message) {
    log->write(level, message);
  };
}

std::string PluginLog::printable(std::string_view text) {
  return telemetry::printable(text, kMaxLineBytes);
}

}  // namespace telemetry
