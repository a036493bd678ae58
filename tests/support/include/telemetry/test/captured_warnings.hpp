// The warnings one telemetry logger writes while a CapturedWarnings lives, for tests that
// check what is logged and how often.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <spdlog/sinks/ringbuffer_sink.h>

#include "config/logging.hpp"

namespace telemetry::test {

class CapturedWarnings {
 public:
  /// Captures the logger `name` (e.g. "telemetry.usage"). Make it before a thread logging
  /// there starts and end it after that thread: spdlog's sink list is not locked.
  explicit CapturedWarnings(const std::string& name) : logger_(telemetry::logger(name)) {
    logger_->sinks().push_back(sink_);
  }
  ~CapturedWarnings() { std::erase(logger_->sinks(), sink_); }
  CapturedWarnings(const CapturedWarnings&) = delete;
  CapturedWarnings& operator=(const CapturedWarnings&) = delete;

  /// The messages of `level` so far (of the last 100), oldest first. Debug messages arrive
  /// only while the level is debug (telemetry::setLogLevel).
  std::vector<std::string> texts(spdlog::level::level_enum level = spdlog::level::warn) const {
    std::vector<std::string> texts;
    for (const auto& message : sink_->last_raw()) {
      if (message.level == level)
        texts.emplace_back(message.payload.begin(), message.payload.end());
    }
    return texts;
  }

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_ =
      std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(100);
};

}  // namespace telemetry::test
