// The query string of GET /, /api/stats and /api/stats.csv: which figures are asked for.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// A query string refused; what() says why and names the parameter (answered 400).
class StatsQueryError : public std::invalid_argument {
 public:
  StatsQueryError(std::string parameter, const std::string& message)
      : std::invalid_argument(message), parameter_(std::move(parameter)) {}
  /// The parameter to blame, as the client wrote it ("" when none can be named).
  const std::string& parameter() const { return parameter_; }

 private:
  std::string parameter_;
};

/// Parses `version=`, `edition=`, `from=YYYY-MM-DD`, `to=YYYY-MM-DD` (form encoding: %XX and
/// '+' for a space). Empty values mean "all" / the default. Refused, never guessed at: a
/// name one edit from one of these four, or two when it has 4 characters or more (a typo
/// would show unfiltered figures as if filtered), one given twice, a bad date, a value that is not
/// UTF-8 without NUL of at most kMaxValueBytes. Other names are ignored, as before there were
/// parameters, so cache-busters keep working.
class StatsQuery {
 public:
  static constexpr std::size_t kMaxValueBytes = 100;
  static constexpr std::int64_t kDefaultDays = 90;
  static constexpr std::int64_t kMaxDays = 400;

  /// The filter, with fromDay/toDay always set: `to` defaults to `today` (epoch day, UTC),
  /// `from` to 89 days before `to`. Throws StatsQueryError.
  static StatsFilter parse(std::string_view query, std::int64_t today);
  /// Today's epoch day in UTC.
  static std::int64_t today();
  /// "YYYY-MM-DD" of an epoch day.
  static std::string formatDay(std::int64_t epochDay);
  /// The epoch day of a strict "YYYY-MM-DD" (years 1970-9999), or none.
  static std::optional<std::int64_t> parseDay(std::string_view text);
  /// The query string that parses back into `filter` ("" for no restriction), for links.
  static std::string format(const StatsFilter& filter);
};

}  // namespace telemetry::collector
