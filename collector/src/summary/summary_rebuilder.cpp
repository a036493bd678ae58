#include "summary/summary_rebuilder.hpp"

#include <map>
#include <set>
#include <tuple>

#include "report/list_column.hpp"
#include "summary/summary_queries.hpp"

namespace telemetry::collector {
namespace {

std::int64_t rowsOf(SqlRunner& runner, const std::string& table) {
  return SqlRunner::integer(runner.query("SELECT COUNT(*) FROM " + table, {}).front()[0]);
}

}  // namespace

void SummaryRebuilder::rebuild(SqlRunner& runner, const Progress& progress) {
  auto tell = [&](const std::string& table) {
    if (progress) progress(table + ": " + std::to_string(rowsOf(runner, table)) + " row(s)");
  };
  for (const char* table : SummaryQueries::kSummaryTables) {
    runner.execute(std::string("DELETE FROM ") + table, {});
  }
  runner.execute(SummaryQueries::kRebuildInstallations, {});
  tell("installations");
  runner.execute(SummaryQueries::kRebuildDailyActivity, {});
  tell("daily_activity");
  runner.execute(SummaryQueries::kRebuildDailyCounts, {});
  tell("daily_counts");
  runner.execute(SummaryQueries::kRebuildCurrentCounts, {});
  // Integrations and webapps: names in a ListColumn, split with its escaping.
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::int64_t> lists;
  for (const auto& row : runner.query(SummaryQueries::kInstallationLists, {})) {
    const auto version = SqlRunner::text(row[0]);
    const auto edition = SqlRunner::text(row[1]);
    const auto integrations = ListColumn::split(SqlRunner::text(row[2]));
    const auto webapps = ListColumn::split(SqlRunner::text(row[3]));
    for (const auto& name : std::set<std::string>(integrations.begin(), integrations.end())) {
      ++lists[{version, edition, "integration", name}];
    }
    for (const auto& name : std::set<std::string>(webapps.begin(), webapps.end())) {
      ++lists[{version, edition, "webapp", name}];
    }
  }
  for (const auto& [key, count] : lists) {
    runner.execute(SummaryQueries::kAddCurrent,
                   {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), count});
  }
  tell("current_counts");
  runner.execute(SummaryQueries::kRebuildDailyReports, {});
  tell("daily_reports");
  rebuildTotals(runner, progress);
}

void SummaryRebuilder::rebuildTotals(SqlRunner& runner, const Progress& progress) {
  auto tell = [&](const std::string& table) {
    if (progress) progress(table + ": " + std::to_string(rowsOf(runner, table)) + " row(s)");
  };
  for (const char* table : SummaryQueries::kTotalTables) {
    runner.execute(std::string("DELETE FROM ") + table, {});
  }
  runner.execute(SummaryQueries::kRebuildCurrentTotals, {});
  tell("current_totals");
  runner.execute(SummaryQueries::kRebuildDailyTotals, {});
  tell("daily_totals");
  runner.execute(SummaryQueries::kRebuildDailyReportTotals, {});
  tell("daily_report_totals");
}

}  // namespace telemetry::collector
