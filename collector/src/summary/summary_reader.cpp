#include "summary/summary_reader.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <map>
#include <utility>

#include "summary/summary_queries.hpp"

namespace telemetry::collector {
namespace {

// Lines per trend, then "other": the values are senders' free text, and a line per value per
// day of a 400-day range would let fake reports blow up every cached answer.
constexpr std::size_t kTrendLines = 8;

std::string dayName(std::int64_t day) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(
                                             day * SummaryQueries::kSecondsPerDay)),
                                         "%Y-%m-%d");
}

// Epoch day 0 was a Thursday.
std::int64_t mondayOf(std::int64_t day) { return day - (((day + 3) % 7) + 7) % 7; }

// " AND version = ? AND edition = ?" as the filter asks, after `where`.
std::string restricted(std::string sql, const StatsFilter& filter, bool where) {
  std::string conditions;
  if (!filter.version.empty()) conditions += " AND version = ?";
  if (!filter.edition.empty()) conditions += " AND edition = ?";
  if (!where && !conditions.empty()) conditions.replace(0, 4, " WHERE");
  return sql + conditions;
}

std::vector<SqlValue> filterParams(std::vector<SqlValue> params, const StatsFilter& filter) {
  if (!filter.version.empty()) params.emplace_back(filter.version);
  if (!filter.edition.empty()) params.emplace_back(filter.edition);
  return params;
}

CollectorStats::Distribution largestFirst(const std::map<std::string, std::int64_t>& counts) {
  CollectorStats::Distribution out;
  for (const auto& [name, count] : counts) {
    if (!name.empty() && count > 0) out.emplace_back(name, count);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

// One line per name, one value per period in `periods` (index by period number).
TimeSeries seriesOf(
    std::vector<std::string> periods,
    const std::vector<std::pair<std::string, std::map<std::int64_t, std::int64_t>>>& lines,
    std::int64_t firstPeriod, std::int64_t step) {
  TimeSeries series;
  series.periods = std::move(periods);
  for (const auto& [name, values] : lines) {
    std::vector<std::int64_t> row(series.periods.size(), 0);
    for (const auto& [period, value] : values) {
      const auto index = (period - firstPeriod) / step;
      if (index >= 0 && index < static_cast<std::int64_t>(row.size())) {
        row[static_cast<std::size_t>(index)] += value;
      }
    }
    series.lines.emplace_back(name, std::move(row));
  }
  return series;
}

}  // namespace

StatsFilter SummaryReader::resolved(const StatsFilter& filter, std::int64_t now) {
  StatsFilter out = filter;
  const std::int64_t today = now / SummaryQueries::kSecondsPerDay;
  out.toDay = filter.toDay.value_or(today);
  out.fromDay = filter.fromDay.value_or(*out.toDay - (kDefaultTrendDays - 1));
  if (*out.fromDay > *out.toDay) out.fromDay = out.toDay;
  if (*out.toDay - *out.fromDay >= kMaxTrendDays) out.fromDay = *out.toDay - (kMaxTrendDays - 1);
  return out;
}

bool SummaryReader::summed(const StatsFilter& filter) {
  return filter.version.empty() && filter.edition.empty();
}

std::vector<std::string> SummaryReader::queries(const StatsFilter& filter) {
  if (summed(filter)) {
    // Unfiltered: the rows summed over versions and editions, days x shown values.
    return {
        "SELECT dimension, value, installations FROM current_totals",
        "SELECT day, dimension, value, installations FROM daily_totals"
        " WHERE day >= ? AND day <= ?",
        "SELECT day, reports FROM daily_report_totals",
    };
  }
  return {
      restricted("SELECT version, edition, dimension, value, installations FROM current_counts",
                 filter, false),
      // Summed in the database: per version only where a trend splits by it, so the rows
      // that cross the connection are days x shown values, not days x every combination.
      restricted("SELECT day, CASE WHEN dimension = 'active' THEN version ELSE '' END,"
                 " dimension, value, CAST(SUM(installations) AS BIGINT) FROM daily_counts"
                 " WHERE day >= ? AND day <= ?",
                 filter, true) +
          " GROUP BY 1, 2, 3, 4",
      restricted("SELECT day, CAST(SUM(reports) AS BIGINT) FROM daily_reports", filter, false) +
          " GROUP BY day",
  };
}

CollectorStats SummaryReader::read(const StatsFilter& requested, std::int64_t now) {
  const StatsFilter filter = resolved(requested, now);
  const auto sql = queries(filter);
  CollectorStats stats;
  stats.filter = filter;

  std::map<std::string, std::map<std::string, std::int64_t>> current;  // dimension -> value
  std::map<std::string, std::int64_t> versions, editions;
  const bool totals = summed(filter);
  for (const auto& row : runner_.query(sql[0], filterParams({}, filter))) {
    if (totals) {
      // Installations per version and per edition are dimensions of their own there.
      const auto dimension = SqlRunner::text(row[0]);
      const auto value = SqlRunner::text(row[1]);
      const auto count = SqlRunner::integer(row[2]);
      if (dimension == "version") {
        versions[value] += count;
      } else if (dimension == "edition") {
        editions[value] += count;
      } else {
        current[dimension][value] += count;
      }
      continue;
    }
    const auto dimension = SqlRunner::text(row[2]);
    const auto count = SqlRunner::integer(row[4]);
    current[dimension][SqlRunner::text(row[3])] += count;
    if (dimension == "installations") {
      versions[SqlRunner::text(row[0])] += count;
      editions[SqlRunner::text(row[1])] += count;
    }
  }
  stats.installations = current["installations"][""];
  stats.optedIn = current["opted-in"][""];
  stats.initialOnly = stats.installations - current["full"][""];
  stats.versions = largestFirst(versions);
  stats.editions = largestFirst(editions);
  stats.databases = largestFirst(current["database"]);
  stats.applicationServers = largestFirst(current["app-server"]);
  stats.jdks = largestFirst(current["jdk"]);
  stats.integrations = largestFirst(current["integration"]);
  stats.webapps = largestFirst(current["webapp"]);

  // Trends: days from..to; weeks from the Monday of from's week.
  const std::int64_t from = *filter.fromDay;
  const std::int64_t to = *filter.toDay;
  const std::int64_t firstMonday = mondayOf(from);
  std::map<std::int64_t, std::int64_t> active, optedIn, fresh;
  std::map<std::string, std::map<std::int64_t, std::int64_t>> byVersion, byDatabase;
  for (const auto& row : runner_.query(sql[1], filterParams({firstMonday, to}, filter))) {
    // Per version: (day, version or '', dimension, value, count); summed: (day, dimension,
    // value, count), the active installations per version under dimension 'version'.
    const auto day = SqlRunner::integer(row[0]);
    const auto dimension = SqlRunner::text(row[totals ? 1 : 2]);
    const auto value = SqlRunner::text(row[totals ? 2 : 3]);
    const auto count = SqlRunner::integer(row[totals ? 3 : 4]);
    if (dimension == "new") {
      fresh[mondayOf(day)] += count;
      continue;
    }
    if (day < from) continue;
    if (dimension == "active") {
      active[day] += count;
      if (!totals) byVersion[SqlRunner::text(row[1])][day] += count;
    } else if (dimension == "version") {
      byVersion[value][day] += count;
    } else if (dimension == "opted-in") {
      optedIn[day] += count;
    } else if (dimension == "database") {
      byDatabase[value][day] += count;
    }
  }
  std::vector<std::string> days;
  for (std::int64_t day = from; day <= to; ++day) days.push_back(dayName(day));
  std::vector<std::string> weeks;
  for (std::int64_t monday = firstMonday; monday <= to; monday += 7) {
    weeks.push_back(dayName(monday));
  }
  using Lines = std::vector<std::pair<std::string, std::map<std::int64_t, std::int64_t>>>;
  stats.trends.active = seriesOf(days, Lines{{"active", active}}, from, 1);
  stats.trends.optedIn = seriesOf(days, Lines{{"opted-in", optedIn}}, from, 1);
  stats.trends.newPerWeek = seriesOf(weeks, Lines{{"new", fresh}}, firstMonday, 7);
  auto largestLines = [](std::map<std::string, std::map<std::int64_t, std::int64_t>> lines,
                         std::size_t keep) {
    std::vector<std::pair<std::int64_t, std::string>> totals;
    for (const auto& [name, values] : lines) {
      std::int64_t total = 0;
      for (const auto& [day, count] : values) total += count;
      totals.emplace_back(total, name);
    }
    std::stable_sort(totals.begin(), totals.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    Lines out;
    std::map<std::int64_t, std::int64_t> other;
    for (std::size_t i = 0; i < totals.size(); ++i) {
      auto& values = lines[totals[i].second];
      if (i < keep) {
        out.emplace_back(totals[i].second, values);
      } else {
        for (const auto& [day, count] : values) other[day] += count;
      }
    }
    if (!other.empty()) out.emplace_back("other", other);
    return out;
  };
  stats.trends.activeByVersion = seriesOf(days, largestLines(byVersion, kTrendLines), from, 1);
  stats.trends.activeByDatabase = seriesOf(days, largestLines(byDatabase, kTrendLines), from, 1);

  // Reports: all kept, and per day for the last 30 days (what a bar chart shows legibly).
  const std::int64_t since =
      (now - 30 * SummaryQueries::kSecondsPerDay) / SummaryQueries::kSecondsPerDay;
  std::map<std::int64_t, std::int64_t> perDay;
  for (const auto& row : runner_.query(sql[2], filterParams({}, filter))) {
    const auto day = SqlRunner::integer(row[0]);
    const auto count = SqlRunner::integer(row[1]);
    stats.reports += count;
    if (day >= since) perDay[day] += count;
  }
  for (const auto& [day, count] : perDay) {
    if (count > 0) stats.reportsPerDay.emplace_back(dayName(day), count);
  }
  return stats;
}

}  // namespace telemetry::collector
