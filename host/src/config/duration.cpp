#include "config/duration.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

namespace telemetry {

std::optional<Duration> parseDuration(std::string_view text) {
  std::uint64_t amount = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::uint64_t millisPerUnit = 0;
  if (unit.empty() || unit == "s") {
    millisPerUnit = 1000;
  } else if (unit == "ms") {
    millisPerUnit = 1;
  } else if (unit == "m") {
    millisPerUnit = 60'000;
  } else if (unit == "h") {
    millisPerUnit = 3'600'000;
  } else {
    return std::nullopt;
  }
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<Duration::rep>::max());
  if (amount > kMax / millisPerUnit) return std::nullopt;
  return Duration(static_cast<Duration::rep>(amount * millisPerUnit));
}

std::string formatDuration(Duration duration) {
  auto ms = duration.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace telemetry
