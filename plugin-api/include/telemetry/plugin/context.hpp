// What the host hands a probe for one collect() call: its settings, its deadline and a
// way to log through the host.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace telemetry::plugin {

enum class LogLevel { debug, info, warn, error };

class Context {
 public:
  using Clock = std::chrono::steady_clock;
  using LogSink = std::function<void(LogLevel, std::string_view)>;
  /// Values the host knows and a probe may need: "license-key" (the raw stored key) and
  /// "license-key-source" ("admin-webapp" when set through the REST API/admin page, else
  /// "management").
  using Facts = std::map<std::string, std::string, std::less<>>;

  Context(std::string settingsJson, Clock::time_point deadline, LogSink log = {}, Facts facts = {})
      : settings_(std::move(settingsJson)),
        deadline_(deadline),
        log_(std::move(log)),
        facts_(std::move(facts)) {}

  /// The probe's `settings` from the host configuration as a JSON object ("{}" if none).
  const std::string& settings() const { return settings_; }
  /// After this point the host no longer waits for the result; use it for I/O timeouts.
  Clock::time_point deadline() const { return deadline_; }
  std::chrono::milliseconds remaining() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds{0};
  }
  /// A host fact by name, or nullptr when the host has none (e.g. no license key stored).
  const std::string* fact(std::string_view name) const {
    auto it = facts_.find(name);
    return it == facts_.end() ? nullptr : &it->second;
  }
  /// Logs through the host's logger, prefixed with the plugin name. Never throws.
  void log(LogLevel level, std::string_view message) const noexcept {
    try {
      if (log_) log_(level, message);
    } catch (...) {
    }
  }

 private:
  std::string settings_;
  Clock::time_point deadline_;
  LogSink log_;
  Facts facts_;
};

}  // namespace telemetry::plugin
