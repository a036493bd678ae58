// A calendar month in UTC, the unit the PostgreSQL store partitions its reports by.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace telemetry::collector {

/// A month of the proleptic Gregorian calendar, compared and stepped like a number.
class UtcMonth {
 public:
  /// The month `epochSeconds` falls in.
  static UtcMonth of(std::int64_t epochSeconds);
  /// The month a partition name ends in ("2026_12"), or nothing for any other text.
  static std::optional<UtcMonth> fromSuffix(const std::string& suffix);

  int year() const { return year_; }
  unsigned month() const { return month_; }
  /// Epoch seconds of its first second, and of the first second of the next month.
  std::int64_t start() const;
  std::int64_t end() const;
  /// `n` months later (earlier when negative).
  UtcMonth plus(int n) const;
  /// "2026_12": years 0 to 9999 only (see named()).
  std::string suffix() const;
  /// True when suffix() names it without ambiguity (four-digit year).
  bool named() const { return year_ >= 1000 && year_ <= 9999; }

  auto operator<=>(const UtcMonth&) const = default;

 private:
  UtcMonth(int year, unsigned month) : year_(year), month_(month) {}

  int year_;
  unsigned month_;  // 1 to 12
};

}  // namespace telemetry::collector
