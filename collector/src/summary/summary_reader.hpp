// Reads the dashboard's figures from the summary tables only: their cost depends on the
// number of distinct values and days shown, not on the number of reports or installations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sql/sql_runner.hpp"
#include "store/collector_stats.hpp"

namespace telemetry::collector {

class SummaryReader {
 public:
  /// The longest period the trends cover; an older `fromDay` is moved up to it, so that a
  /// query string cannot make a reply of millions of days.
  static constexpr std::int64_t kMaxTrendDays = 3660;
  /// The trends' period when the filter names none: the last 90 days.
  static constexpr std::int64_t kDefaultTrendDays = 90;

  explicit SummaryReader(SqlRunner& runner) : runner_(runner) {}

  /// The figures restricted by `filter`; `now` (epoch seconds) ends the default periods.
  /// Trends filtered by version or edition count a day by the version and edition of that
  /// day's report, the other figures by each installation's current ones.
  CollectorStats read(const StatsFilter& filter, std::int64_t now);

  /// The filter with its period resolved as read() does.
  static StatsFilter resolved(const StatsFilter& filter, std::int64_t now);
  /// Whether read() uses the summaries summed over versions and editions: no version or
  /// edition filter. Filters read the per-version ones.
  static bool summed(const StatsFilter& filter);
  /// The SQL read() runs for `filter` (resolved), in order, for tests to explain.
  static std::vector<std::string> queries(const StatsFilter& filter);

 private:
  SqlRunner& runner_;
};

}  // namespace telemetry::collector
