#include <gtest/gtest.h>

#include "dashboard/stats_csv.hpp"

namespace telemetry::collector {
namespace {

TEST(StatsCsvTest, QuotesFieldsAsRfc4180Says) {
  EXPECT_EQ(StatsCsv::cell("7.14.0"), "7.14.0");
  EXPECT_EQ(StatsCsv::cell(""), "");
  EXPECT_EQ(StatsCsv::cell("a,b"), "\"a,b\"");
  EXPECT_EQ(StatsCsv::cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(StatsCsv::cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(StatsCsv::cell("cr\rhere"), "\"cr\rhere\"");
}

TEST(StatsCsvTest, DisarmsEveryCellThatASpreadsheetWouldTakeForAFormula) {
  EXPECT_EQ(StatsCsv::cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(StatsCsv::cell("+1"), "'+1");
  EXPECT_EQ(StatsCsv::cell("-1+2"), "'-1+2");
  EXPECT_EQ(StatsCsv::cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(StatsCsv::cell("\tx"), "'\tx");
  EXPECT_EQ(StatsCsv::cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(StatsCsv::cell("7.14.0-=x"), "7.14.0-=x");  // only the first character counts
}

TEST(StatsCsvTest, WritesOneRowPerValueUnderAHeader) {
  CollectorStats stats;
  stats.installations = 3;
  stats.optedIn = 2;
  stats.initialOnly = 1;
  stats.reports = 7;
  stats.versions = {{"7.14.0", 2}, {"=cmd|' /C calc'!A0", 1}};
  stats.reportsPerDay = {{"2026-12-05", 7}};
  stats.trends.active.periods = {"2026-12-04", "2026-12-05"};
  stats.trends.active.lines = {{"active", {1, 3}}};
  stats.trends.activeByVersion.periods = {"2026-12-05"};
  stats.trends.activeByVersion.lines = {{"a,b", {2}}};
  EXPECT_EQ(StatsCsv::render(stats),
            "figure,period,name,value\r\n"
            "installations,,total,3\r\n"
            "installations,,opted-in,2\r\n"
            "installations,,initial-only,1\r\n"
            "reports,,stored,7\r\n"
            "versions,,7.14.0,2\r\n"
            "versions,,'=cmd|' /C calc'!A0,1\r\n"
            "reports-per-day,2026-12-05,,7\r\n"
            "active,2026-12-04,active,1\r\n"
            "active,2026-12-05,active,3\r\n"
            "active-by-version,2026-12-05,\"a,b\",2\r\n");
}

TEST(StatsCsvTest, WritesNoValueForAPeriodALineHasNoneFor) {
  CollectorStats stats;
  stats.trends.newPerWeek.periods = {"2026-11-30", "2026-12-07"};
  stats.trends.newPerWeek.lines = {{"new", {4}}};  // shorter than its periods
  const auto csv = StatsCsv::render(stats);
  EXPECT_NE(csv.find("new-per-week,2026-11-30,new,4\r\n"), std::string::npos);
  EXPECT_EQ(csv.find("2026-12-07"), std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector
