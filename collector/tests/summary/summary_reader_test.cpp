#include "summary/summary_reader.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "sql/poco_sql_runner.hpp"
#include "store/report_store.hpp"
#include "telemetry/storage/database.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

using test::kDay;
constexpr std::int64_t kToday = 20000;  // 2024-10-04, a Friday

std::string report(const std::string& installation, const std::string& version,
                   const std::string& edition, const std::string& database) {
  return R"({"installation":")" + installation +
         R"(","product":{"name":"Camunda BPM Runtime","version":")" + version + R"(","edition":")" +
         edition + R"(","internals":{"database":{"vendor":")" + database +
         R"(","version":"1"},"commands":{},"metrics":{},"webapps":["cockpit"]}}})";
}

std::string installation(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
  return id;
}

class SummaryReaderTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("summary-reader-test-" + std::to_string(::getpid()));
  std::string file = (dir / "collector.db").string();
  std::unique_ptr<ReportStore> store;

  void SetUp() override {
    std::filesystem::create_directories(dir);
    ReportStore::Options options;
    options.location = file;
    store = std::make_unique<ReportStore>(options);
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void put(const std::string& json, std::int64_t at, const std::string& key) {
    ASSERT_EQ(
        store->submit(ReceivedReport::fromDocument(test::parse(json).root(), "ip", key, at)).get(),
        StoreOutcome::stored);
  }
  CollectorStats read(const StatsFilter& filter) {
    auto database = storage::openDatabase(file);
    PocoSqlRunner runner(*database.session, database.dialect);
    return SummaryReader(runner).read(filter, kToday * kDay + 3600);
  }
};

// The dashboard's cost must not grow with the reports: its queries read summaries only. The
// queries explained are the ones SummaryReader::read runs.
TEST_F(SummaryReaderTest, ReadsNoReport) {
  auto database = storage::openDatabase(file);
  const std::regex reportsTable("\\breports\\b");  // in a plan: only tables are named
  const std::regex readsReports("\\b(FROM|JOIN)\\s+reports\\b", std::regex::icase);
  for (const StatsFilter& filter :
       {StatsFilter{}, StatsFilter{"7.14.0", "", {}, {}}, StatsFilter{"", "enterprise", {}, {}},
        StatsFilter{"7.14.0", "enterprise", 19000, 19100}}) {
    for (const auto& query :
         SummaryReader::queries(SummaryReader::resolved(filter, kToday * kDay))) {
      Poco::Data::Statement explain(*database.session);
      explain << "EXPLAIN QUERY PLAN " + query;
      // The plan does not depend on the values bound.
      for (auto n = std::count(query.begin(), query.end(), '?'); n > 0; --n) {
        explain, Poco::Data::Keywords::bind(std::string("0"));
      }
      explain.execute();
      Poco::Data::RecordSet rows(explain);
      std::string plan;
      for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
        plan += rows["detail"].toString() + "; ";
      }
      EXPECT_FALSE(plan.empty()) << query;
      EXPECT_FALSE(std::regex_search(plan, reportsTable)) << query << ": " << plan;
      EXPECT_FALSE(std::regex_search(query, readsReports)) << query;
    }
  }
}

// Unfiltered, the dashboard reads the rows summed over versions and editions: at a million
// installations every version x edition of every day is filled, and reading those made the
// request cost grow with the store (docs/performance.md, "Dashboard").
TEST_F(SummaryReaderTest, ReadsTheSummedRowsWhenNotFiltered) {
  auto database = storage::openDatabase(file);
  const std::regex perVersion("\\b(current_counts|daily_counts|daily_reports)\\b");
  const std::regex summedTable("\\b(current_totals|daily_totals|daily_report_totals)\\b");
  for (const StatsFilter& filter : {StatsFilter{}, StatsFilter{"", "", 19000, 19100}}) {
    const auto sql = SummaryReader::queries(SummaryReader::resolved(filter, kToday * kDay));
    ASSERT_EQ(sql.size(), 3u);
    for (const auto& query : sql) {
      EXPECT_FALSE(std::regex_search(query, perVersion)) << query;
      EXPECT_TRUE(std::regex_search(query, summedTable)) << query;
    }
    // The daily rows are found by day through the primary key, not scanned.
    Poco::Data::Statement explain(*database.session);
    explain << "EXPLAIN QUERY PLAN " + sql[1], Poco::Data::Keywords::bind(std::int64_t{0}),
        Poco::Data::Keywords::bind(std::int64_t{1});
    explain.execute();
    Poco::Data::RecordSet rows(explain);
    std::string plan;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      plan += rows["detail"].toString() + "; ";
    }
    EXPECT_NE(plan.find("SEARCH daily_totals"), std::string::npos) << plan;
  }
  for (const StatsFilter& filter :
       {StatsFilter{"7.14.0", "", {}, {}}, StatsFilter{"", "enterprise", {}, {}}}) {
    for (const auto& query :
         SummaryReader::queries(SummaryReader::resolved(filter, kToday * kDay))) {
      EXPECT_FALSE(std::regex_search(query, summedTable)) << query;
    }
  }
}

// The summed rows and the per-version ones give the same figures: an edition filter that
// matches every installation reads the latter.
TEST_F(SummaryReaderTest, ShowsTheSameFiguresSummedAndPerVersion) {
  const std::int64_t monday = kToday - 11;
  put(report(installation(1), "7.14.0", "community", "h2"), monday * kDay + 10, "a");
  put(report(installation(1), "7.15.0", "community", "postgres"), (kToday - 3) * kDay + 10, "b");
  put(report(installation(2), "7.15.0", "community", "h2"), (kToday - 2) * kDay + 10, "c");
  put(report(installation(3), "7.13.0", "community", "mysql"), (kToday - 1) * kDay + 10, "d");
  put(report(installation(3), "7.13.0", "community", "mysql"), kToday * kDay + 10, "e");
  StatsFilter all{"", "", monday, kToday};
  StatsFilter community{"", "community", monday, kToday};
  const auto summed = read(all);
  const auto perVersion = read(community);
  EXPECT_EQ(summed.installations, 3);
  EXPECT_EQ(summed.installations, perVersion.installations);
  EXPECT_EQ(summed.optedIn, perVersion.optedIn);
  EXPECT_EQ(summed.initialOnly, perVersion.initialOnly);
  EXPECT_EQ(summed.reports, 5);
  EXPECT_EQ(summed.reports, perVersion.reports);
  EXPECT_EQ(summed.reportsPerDay, perVersion.reportsPerDay);
  EXPECT_EQ(summed.versions, (CollectorStats::Distribution{{"7.15.0", 2}, {"7.13.0", 1}}));
  EXPECT_EQ(summed.versions, perVersion.versions);
  EXPECT_EQ(summed.editions, (CollectorStats::Distribution{{"community", 3}}));
  EXPECT_EQ(summed.editions, perVersion.editions);
  EXPECT_EQ(summed.databases, perVersion.databases);
  EXPECT_EQ(summed.webapps, perVersion.webapps);
  EXPECT_EQ(summed.trends.active.lines, perVersion.trends.active.lines);
  EXPECT_EQ(summed.trends.optedIn.lines, perVersion.trends.optedIn.lines);
  EXPECT_EQ(summed.trends.newPerWeek.lines, perVersion.trends.newPerWeek.lines);
  EXPECT_EQ(summed.trends.activeByVersion.lines, perVersion.trends.activeByVersion.lines);
  EXPECT_EQ(summed.trends.activeByDatabase.lines, perVersion.trends.activeByDatabase.lines);
  ASSERT_EQ(summed.trends.activeByVersion.lines.size(), 3u);
}

TEST_F(SummaryReaderTest, CountsTheLargestVersionsThenOther) {
  // Version 7.N.0 on N+1 installations, all active today: 7.10.0 largest, 7.1.0 and 7.2.0
  // smallest.
  int n = 0;
  for (int minor = 1; minor <= 10; ++minor) {
    for (int i = 0; i <= minor; ++i, ++n) {
      put(report(installation(n), "7." + std::to_string(minor) + ".0", "community", "h2"),
          kToday * kDay + 60, "k" + std::to_string(n));
    }
  }
  const auto stats = read(StatsFilter{});
  EXPECT_EQ(stats.installations, n);
  const auto& lines = stats.trends.activeByVersion.lines;
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines.front().first, "7.10.0");
  EXPECT_EQ(lines.front().second.back(), 11);
  EXPECT_EQ(lines.back().first, "other");
  EXPECT_EQ(lines.back().second.back(), 2 + 3);
  EXPECT_EQ(stats.trends.active.periods.size(), 90u);
  EXPECT_EQ(stats.trends.active.periods.back(), "2024-10-04");
}

// Database vendors are free text from unauthenticated reports: their trend has as few lines
// as the versions', or fake reports could make every cached answer as large as they like.
TEST_F(SummaryReaderTest, CountsTheLargestDatabaseVendorsThenOther) {
  int n = 0;
  for (int vendor = 1; vendor <= 10; ++vendor) {
    for (int i = 0; i <= vendor; ++i, ++n) {
      put(report(installation(n), "7.14.0", "community", "vendor-" + std::to_string(vendor)),
          kToday * kDay + 60, "k" + std::to_string(n));
    }
  }
  const auto& lines = read(StatsFilter{}).trends.activeByDatabase.lines;
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines.front().first, "vendor-10");
  EXPECT_EQ(lines.back().first, "other");
  EXPECT_EQ(lines.back().second.back(), 2 + 3);
}

TEST_F(SummaryReaderTest, FiltersByVersionAndCountsNewInstallationsPerWeek) {
  // One installation first seen on Monday 2024-09-23 on 7.14.0, upgraded on 2024-10-01; one
  // first seen on 2024-10-02 on 7.15.0.
  const std::int64_t monday = kToday - 11;
  put(report(installation(1), "7.14.0", "community", "h2"), monday * kDay + 10, "a");
  put(report(installation(1), "7.14.0", "community", "h2"), (monday + 1) * kDay + 10, "b");
  put(report(installation(1), "7.15.0", "community", "postgres"), (kToday - 3) * kDay + 10, "c");
  put(report(installation(2), "7.15.0", "enterprise", "h2"), (kToday - 2) * kDay + 10, "d");

  StatsFilter period{"", "", monday, kToday};
  const auto all = read(period);
  EXPECT_EQ(all.installations, 2);
  EXPECT_EQ(all.reports, 4);
  const CollectorStats::Distribution databases{{"h2", 1}, {"postgres", 1}};
  EXPECT_EQ(all.databases, databases);
  EXPECT_EQ(all.trends.newPerWeek.periods, (std::vector<std::string>{"2024-09-23", "2024-09-30"}));
  EXPECT_EQ(all.trends.newPerWeek.lines.front().second, (std::vector<std::int64_t>{1, 1}));
  const auto& active = all.trends.active.lines.front().second;
  ASSERT_EQ(active.size(), 12u);
  EXPECT_EQ(active[0], 1);
  EXPECT_EQ(active[1], 1);
  EXPECT_EQ(active[2], 0);
  EXPECT_EQ(active[8], 1);
  EXPECT_EQ(active[9], 1);

  auto onVersion = period;
  onVersion.version = "7.14.0";
  const auto old = read(onVersion);
  EXPECT_EQ(old.installations, 0) << "nobody is on 7.14.0 now";
  EXPECT_EQ(old.reports, 2);
  EXPECT_EQ(old.trends.active.lines.front().second[0], 1) << "but it was on its first days";
  onVersion.version = "7.15.0";
  onVersion.edition = "enterprise";
  const auto recent = read(onVersion);
  EXPECT_EQ(recent.installations, 1);
  EXPECT_EQ(recent.versions, (CollectorStats::Distribution{{"7.15.0", 1}}));
}

TEST(SummaryReaderPeriodTest, BoundsThePeriod) {
  const auto huge = SummaryReader::resolved(StatsFilter{"", "", 0, 1000000000}, 0);
  EXPECT_EQ(*huge.toDay - *huge.fromDay + 1, SummaryReader::kMaxTrendDays);
  const auto reversed = SummaryReader::resolved(StatsFilter{"", "", 500, 100}, 0);
  EXPECT_EQ(*reversed.fromDay, *reversed.toDay);
  const auto usual = SummaryReader::resolved(StatsFilter{}, 100 * kDay + 5);
  EXPECT_EQ(*usual.toDay, 100);
  EXPECT_EQ(*usual.fromDay, 11);
}

}  // namespace
}  // namespace telemetry::collector
