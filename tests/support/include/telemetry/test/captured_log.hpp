// Everything one telemetry logger writes (debug and up) while a CapturedLog lives, for tests
// that wait for the line proving a decision was taken before asserting what followed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/base_sink.h>

#include "config/logging.hpp"

namespace telemetry::test {

class CapturedLog {
 public:
  /// Captures the logger `name` at debug level. Make it before a thread logging there
  /// starts and end it after that thread: spdlog's sink list is not locked.
  explicit CapturedLog(const std::string& name = "telemetry")
      : logger_(telemetry::logger(name)), level_(logger_->level()) {
    logger_->sinks().push_back(sink_);
    logger_->set_level(spdlog::level::debug);
  }
  ~CapturedLog() {
    std::erase(logger_->sinks(), sink_);
    logger_->set_level(level_);
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  /// How many lines so far contain `text`.
  std::size_t count(const std::string& text) const { return sink_->count(text); }
  /// True once `count` lines containing `text` were logged, within `timeout` (a hang guard).
  bool waitFor(const std::string& text, std::size_t count,
               std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    return sink_->waitFor(text, count, timeout);
  }

 private:
  class Sink : public spdlog::sinks::base_sink<std::mutex> {
   public:
    std::size_t count(const std::string& text) const {
      std::lock_guard lock(linesMutex_);
      return countLocked(text);
    }
    bool waitFor(const std::string& text, std::size_t count, std::chrono::milliseconds timeout) {
      std::unique_lock lock(linesMutex_);
      return added_.wait_for(lock, timeout, [&] { return countLocked(text) >= count; });
    }

   protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
      {
        std::lock_guard lock(linesMutex_);
        lines_.emplace_back(message.payload.begin(), message.payload.end());
      }
      added_.notify_all();
    }
    void flush_() override {}

   private:
    std::size_t countLocked(const std::string& text) const {
      std::size_t n = 0;
      for (const auto& line : lines_) n += line.find(text) != std::string::npos ? 1 : 0;
      return n;
    }
    mutable std::mutex linesMutex_;
    std::condition_variable added_;
    std::vector<std::string> lines_;
  };

  std::shared_ptr<spdlog::logger> logger_;
  spdlog::level::level_enum level_;
  std::shared_ptr<Sink> sink_ = std::make_shared<Sink>();
};

}  // namespace telemetry::test
