#include "telemetry/plugins/db_settings.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins {
namespace {

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) {
  std::uint64_t amount = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (error != std::errc{} || end == text.data()) return std::nullopt;
  std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  std::uint64_t factor = 0;
  if (unit.empty() || unit == "s") factor = 1000;
  if (unit == "ms") factor = 1;
  if (unit == "m") factor = 60'000;
  // Anything beyond a day is a typo, and the bound keeps the multiplication from overflowing.
  if (factor == 0 || amount > 86'400'000 / factor) return std::nullopt;
  return std::chrono::milliseconds(amount * factor);
}

}  // namespace

DbSettings DbSettings::read(std::string_view plugin, const std::string& settingsJson,
                            std::initializer_list<std::string_view> schemes,
                            std::uint16_t defaultPort) {
  Settings settings(plugin, settingsJson, {"url", "connect-timeout"});
  DbSettings out;
  auto url = settings.string("url");
  if (!url || url->empty()) {
    throw SettingsError("plugin '" + std::string(plugin) + "': setting 'url' is required");
  }
  out.url = DbUrl::parse(*url, schemes, defaultPort);
  if (auto timeout = settings.string("connect-timeout")) {
    auto parsed = parseDuration(*timeout);
    if (!parsed || parsed->count() == 0) {
      throw SettingsError("plugin '" + std::string(plugin) + "': setting 'connect-timeout': '" +
                          *timeout + "' is not a duration such as 5s or 500ms");
    }
    out.connectTimeout = *parsed;
  }
  return out;
}

std::chrono::milliseconds DbSettings::connectBudget(const plugin::Context& context) const {
  return std::min(connectTimeout, context.remaining());
}

}  // namespace telemetry::plugins
