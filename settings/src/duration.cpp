#include "telemetry/settings/duration.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <utility>

namespace telemetry::settings {
namespace {

constexpr std::int64_t kDay = 24 * 3600 * 1000;
// Largest first, so formatDuration picks the largest exact one.
constexpr std::array<std::pair<std::string_view, std::int64_t>, 5> kUnits{
    {{"d", kDay}, {"h", 3600 * 1000}, {"m", 60 * 1000}, {"s", 1000}, {"ms", 1}}};

}  // namespace

Duration parseDuration(std::string_view text) {
  const std::string quoted = "'" + std::string(text) + "'";
  std::uint64_t number = 0;
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(text.data(), end, number);
  if (rest == text.data()) {
    throw std::invalid_argument(quoted + " is not a duration (e.g. 500ms, 15s, 10m, 24h)");
  }
  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  std::int64_t perUnit = unit.empty() ? 1000 : 0;  // milliseconds; plain numbers are seconds
  for (const auto& [name, millis] : kUnits) {
    if (unit == name) perUnit = millis;
  }
  if (perUnit == 0) {
    throw std::invalid_argument(quoted + " has an unknown unit (use ms, s, m, h or d)");
  }
  if (error != std::errc() ||
      number > static_cast<std::uint64_t>(kLongestDuration.count() / perUnit)) {
    throw std::invalid_argument(quoted + " is longer than 100 years");
  }
  return Duration(static_cast<std::int64_t>(number) * perUnit);
}

std::string formatDuration(Duration duration) {
  const std::int64_t ms = duration.count();
  for (const auto& [name, millis] : kUnits) {
    if (ms != 0 && ms % millis == 0) return std::to_string(ms / millis) + std::string(name);
  }
  return "0s";
}

}  // namespace telemetry::settings
