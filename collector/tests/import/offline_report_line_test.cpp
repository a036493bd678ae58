#include "import/offline_report_line.hpp"

#include <gtest/gtest.h>

#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

constexpr const char* kKey = "1b3c2f9e-0000-4000-8000-000000000001";

class OfflineReportLineTest : public ::testing::Test {
 protected:
  ReportValidator validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);
  std::string full = compactReport("spec-example-report.json");
  std::string initial = compactReport("spec-initial-report.json");

  static std::string compactReport(const std::string& name) {
    std::string text = test::fixture(name);
    std::erase(text, '\n');
    return text;
  }

  static std::string line(const std::string& kind, const std::string& report,
                          const std::string& key = kKey) {
    return R"({"kind":")" + kind + R"(","idempotency-key":")" + key + R"(","report":)" + report +
           "}";
  }

  std::string problemOf(const std::string& text) {
    std::string problem;
    EXPECT_FALSE(OfflineReportLine::parse(text, validator, 1, problem).has_value()) << text;
    return problem;
  }
};

TEST_F(OfflineReportLineTest, TakesTheReportWithItsKeyAndNoIpHash) {
  std::string problem;
  auto report = OfflineReportLine::parse(line("full", full), validator, 42, problem);
  ASSERT_TRUE(report) << problem;
  EXPECT_EQ(report->idempotencyKey, kKey);
  EXPECT_EQ(report->ipHash, "");
  EXPECT_TRUE(report->formerIpHashes.empty());
  EXPECT_EQ(report->receivedAt, 42);
  EXPECT_FALSE(report->initial);
  auto first = OfflineReportLine::parse(line("initial", initial), validator, 42, problem);
  ASSERT_TRUE(first) << problem;
  EXPECT_TRUE(first->initial);
}

TEST_F(OfflineReportLineTest, RefusesGarbageInvalidUtf8AndNul) {
  EXPECT_NE(problemOf("garbage").find("not valid JSON"), std::string::npos);
  EXPECT_NE(problemOf("").find("not valid JSON"), std::string::npos);
  EXPECT_NE(problemOf(line("full", full) + "}").find("not valid JSON"), std::string::npos);
  std::string utf8 = line("full", full);
  utf8.replace(utf8.find("Camunda"), 1, "\xC3\x28");
  EXPECT_NE(problemOf(utf8).find("not valid JSON"), std::string::npos);
  std::string nul = line("full", full);
  nul[nul.find("Camunda")] = '\0';
  EXPECT_NE(problemOf(nul).find("not valid JSON"), std::string::npos);
  EXPECT_NE(problemOf("[1,2]").find("not an offline report"), std::string::npos);
}

TEST_F(OfflineReportLineTest, RefusesAMissingOrWrongMember) {
  EXPECT_EQ(problemOf(R"({"kind":"full","idempotency-key":"k"})"), "\"report\" is missing");
  EXPECT_EQ(problemOf(line("full", full, "")),
            "\"idempotency-key\" must be 1 to 200 printable characters");
  EXPECT_EQ(problemOf(line("full", full, std::string(201, 'k'))),
            "\"idempotency-key\" must be 1 to 200 printable characters");
  EXPECT_EQ(problemOf(line("partial", full)), "\"kind\" must be \"initial\" or \"full\"");
  EXPECT_EQ(problemOf(line("initial", full)),
            "\"kind\" says initial but the report is a full report");
  EXPECT_EQ(problemOf(R"({"kind":"full","idempotency-key":"k","report":{},"ip":"1.2.3.4"})"),
            "unknown member \"ip\"");
  EXPECT_NE(
      problemOf(line("full", full).insert(1, R"("kind":"full",)")).find("duplicate key \"kind\""),
      std::string::npos);
}

TEST_F(OfflineReportLineTest, RefusesAReportTheSchemaRefusesNamingWhere) {
  std::string bad = full;
  bad.replace(bad.find("\"installation\""), 14, "\"installatio\"");
  EXPECT_EQ(problemOf(line("full", bad)).rfind("/report", 0), 0u) << problemOf(line("full", bad));
  EXPECT_EQ(problemOf(line("full", "{}")).rfind("/report/", 0), 0u)
      << problemOf(line("full", "{}"));
  EXPECT_EQ(problemOf(line("full", "[]")).rfind("the report ", 0), 0u)
      << problemOf(line("full", "[]"));
}

}  // namespace
}  // namespace telemetry::collector
