#include "partitions/utc_month.hpp"

#include <chrono>
#include <cstdio>

namespace telemetry::collector {

namespace chrono = std::chrono;

UtcMonth UtcMonth::of(std::int64_t epochSeconds) {
  const chrono::sys_seconds at{chrono::seconds{epochSeconds}};
  const chrono::year_month_day day{chrono::floor<chrono::days>(at)};
  return UtcMonth(static_cast<int>(day.year()), static_cast<unsigned>(day.month()));
}

std::optional<UtcMonth> UtcMonth::fromSuffix(const std::string& suffix) {
  // Exactly "YYYY_MM": anything else is no partition of ours.
  if (suffix.size() != 7 || suffix[4] != '_') return std::nullopt;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (i != 4 && (suffix[i] < '0' || suffix[i] > '9')) return std::nullopt;
  }
  const int year = std::stoi(suffix.substr(0, 4));
  const auto month = static_cast<unsigned>(std::stoi(suffix.substr(5, 2)));
  if (year < 1000 || month < 1 || month > 12) return std::nullopt;
  return UtcMonth(year, month);
}

std::int64_t UtcMonth::start() const {
  const chrono::sys_days first{chrono::year{year_} / chrono::month{month_} / 1};
  return chrono::duration_cast<chrono::seconds>(first.time_since_epoch()).count();
}

std::int64_t UtcMonth::end() const { return plus(1).start(); }

UtcMonth UtcMonth::plus(int n) const {
  const int index = year_ * 12 + static_cast<int>(month_) - 1 + n;
  // Floor division: months before year 0 stay well-formed.
  const int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
  return UtcMonth(year, static_cast<unsigned>(index - year * 12 + 1));
}

std::string UtcMonth::suffix() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d_%02u", year_, month_);
  return text;
}

}  // namespace telemetry::collector
