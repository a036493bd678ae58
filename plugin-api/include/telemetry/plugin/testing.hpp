// Testing a probe plugin without the host: load the built plugin file, run its probe with
// chosen settings and host facts, and look at the result and at what it logged.
// Part of the installed SDK (find_package(TelemetryPluginAPI)); use it from any test
// framework.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "telemetry/plugin/plugin.hpp"

namespace telemetry::plugin::testing {

/// Collects what a probe logs through Context::log, as the host would show it.
class LogRecorder {
 public:
  struct Line {
    LogLevel level;
    std::string message;
  };

  /// The sink to hand a Context; it stays valid as long as the recorder does.
  Context::LogSink sink() {
    return [this](LogLevel level, std::string_view message) {
      std::lock_guard lock(mutex_);
      lines_.push_back({level, std::string(message)});
    };
  }

  std::vector<Line> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

/// One plugin file loaded as the host loads it (Boost.DLL, RTLD_LOCAL), without the host's
/// catalog: its descriptor, and its probe run on demand.
class PluginHarness {
 public:
  explicit PluginHarness(const std::filesystem::path& file)
      : library_(file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local),
        descriptor_(library_.get_alias<const Descriptor>(kDescriptorSymbol)) {}

  const Descriptor& descriptor() const { return descriptor_; }

  /// Creates the probe, collects once with `settings` (a JSON object) and host `facts`,
  /// destroys it. What the probe logs goes to `log` when given.
  Result collect(const std::string& settings = "{}", Context::Facts facts = {},
                 std::chrono::milliseconds timeout = std::chrono::seconds(10),
                 Context::LogSink log = {}) const {
    std::string error;
    Probe* probe = descriptor_.create(error);
    if (probe == nullptr) return Result::error(error);
    Context context(settings, Context::Clock::now() + timeout, std::move(log), std::move(facts));
    Result result = descriptor_.collect(probe, context);
    descriptor_.destroy(probe);
    return result;
  }

 private:
  boost::dll::shared_library library_;
  const Descriptor& descriptor_;
};

}  // namespace telemetry::plugin::testing
