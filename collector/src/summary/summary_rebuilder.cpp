#include "summary/summary_rebuilder.hpp"

#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "report/list_column.hpp"
#include "summary/summary_queries.hpp"

namespace telemetry::collector {
namespace {

// "table: N row(s)", counted only when someone listens.
void tellRows(SqlRunner& runner, const SummaryRebuilder::Progress& progress,
              const std::string& table) {
  if (!progress) return;
  const auto rows = runner.query("SELECT COUNT(*) FROM " + table, {}).front()[0];
  progress(table + ": " + std::to_string(SqlRunner::integer(rows)) + " row(s)");
}

}  // namespace

void SummaryRebuilder::rebuild(SqlRunner& runner, const Progress& progress) {
  for (const char* table : SummaryQueries::kSummaryTables) {
    runner.execute(std::string("DELETE FROM ") + table, {});
  }
  runner.execute(SummaryQueries::kRebuildInstallations, {});
  tellRows(runner, progress, "installations");
  runner.execute(SummaryQueries::kRebuildDailyActivity, {});
  tellRows(runner, progress, "daily_activity");
  runner.execute(SummaryQueries::kRebuildDailyCounts, {});
  tellRows(runner, progress, "daily_counts");
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
  std::vector<SqlRow> counts;
  for (const auto& [key, count] : lists)
    counts.push_back(
        {std::get<0>(key), std::get<1>(key), std::get<2>(key), std::get<3>(key), count});
  if (!counts.empty()) runner.executeEach(SummaryQueries::kAddCurrent, {}, counts);
  tellRows(runner, progress, "current_counts");
  runner.execute(SummaryQueries::kRebuildDailyReports, {});
  tellRows(runner, progress, "daily_reports");
  rebuildTotals(runner, progress);
}

void SummaryRebuilder::rebuildTotals(SqlRunner& runner, const Progress& progress) {
  for (const char* table : SummaryQueries::kTotalTables) {
    runner.execute(std::string("DELETE FROM ") + table, {});
  }
  runner.execute(SummaryQueries::kRebuildCurrentTotals, {});
  tellRows(runner, progress, "current_totals");
  runner.execute(SummaryQueries::kRebuildDailyTotals, {});
  tellRows(runner, progress, "daily_totals");
  runner.execute(SummaryQueries::kRebuildDailyReportTotals, {});
  tellRows(runner, progress, "daily_report_totals");
}

}  // namespace telemetry::collector
