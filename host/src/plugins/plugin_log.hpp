// A plugin's log lines on their way into the host's log ("telemetry.plugin"): prefixed with
// the plugin name, made single-line, cut when long, and limited per collection so a chatty
// or hostile plugin cannot flood the host's log.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "telemetry/plugin/context.hpp"

namespace telemetry {

class PluginLog {
 public:
  static constexpr std::size_t kDefaultMaxLines = 50;
  static constexpr std::size_t kMaxLineBytes = 1000;

  explicit PluginLog(std::string pluginName, std::size_t maxLines = kDefaultMaxLines);
  /// Says how many lines were dropped over the limit, if any.
  ~PluginLog();
  PluginLog(const PluginLog&) = delete;
  PluginLog& operator=(const PluginLog&) = delete;

  /// Logs one line, or counts it as dropped once `maxLines` were written. Thread-safe and
  /// never throws. Control characters are escaped so a plugin cannot forge log lines.
  void write(plugin::LogLevel level, std::string_view message) noexcept;

  /// A plugin::Context sink that keeps `log` alive as long as the context holds it.
  static plugin::Context::LogSink sink(std::shared_ptr<PluginLog> log);

  /// telemetry::printable (logging.hpp) cut after kMaxLineBytes.
  static std::string printable(std::string_view text);

 private:
  std::string pluginName_;
  std::size_t maxLines_;
  std::atomic<std::size_t> written_{0};
  std::atomic<std::size_t> dropped_{0};
};

}  // namespace telemetry
