// The settings every database probe takes, `url` and `connect-timeout`, checked once here
// so both probes accept and reject the same things.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "telemetry/plugin/context.hpp"
#include "telemetry/plugins/db_url.hpp"

namespace telemetry::plugins {

struct DbSettings {
  static constexpr std::chrono::milliseconds kDefaultConnectTimeout{5000};

  DbUrl url;
  std::chrono::milliseconds connectTimeout = kDefaultConnectTimeout;

  /// Reads `url` (required, one of `schemes`) and `connect-timeout` (seconds, or with a unit:
  /// 500ms, 5s, 1m). Throws SettingsError or DbUrlError; unknown keys are rejected.
  static DbSettings read(std::string_view plugin, const std::string& settingsJson,
                         std::initializer_list<std::string_view> schemes,
                         std::uint16_t defaultPort);

  /// How long connecting may take now: the connect timeout, cut to what is left of the
  /// probe's deadline.
  std::chrono::milliseconds connectBudget(const plugin::Context& context) const;
};

}  // namespace telemetry::plugins
