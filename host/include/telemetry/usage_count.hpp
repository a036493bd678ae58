// What a usage count may be at every way in (CLI, REST, StatsD, the registry, the store):
// a whole number from 1 to 2^63-1, the largest a BIGINT column holds. Sums stop there
// instead of wrapping or turning into REAL.
#pragma once

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace telemetry {

/// The largest count and the largest sum of counts: 9223372036854775807.
inline constexpr std::uint64_t kMaxUsageCount =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

/// What a way in says about a count out of range, after the name of the count.
inline constexpr std::string_view kUsageCountRange =
    "must be a whole number from 1 to 9223372036854775807";

/// a + b, at most kMaxUsageCount.
constexpr std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b) noexcept {
  if (a >= kMaxUsageCount || b >= kMaxUsageCount - a) return kMaxUsageCount;
  return a + b;
}

/// The count written as decimal digits only, from 1 to kMaxUsageCount; nullopt otherwise
/// (signs, fractions, exponents, spaces and 0 included).
inline std::optional<std::uint64_t> parseUsageCount(std::string_view text) noexcept {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < 1 || value > kMaxUsageCount) return std::nullopt;
  return value;
}

}  // namespace telemetry
