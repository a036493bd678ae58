#include "import/report_importer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "telemetry/test/store_location.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

std::string testName() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

std::string reportLine(const std::string& fixture, const std::string& kind,
                       const std::string& key) {
  std::string report = test::fixture(fixture);
  std::erase(report, '\n');
  return R"({"kind":")" + kind + R"(","idempotency-key":")" + key + R"(","report":)" + report +
         "}\n";
}

// On SQLite and PostgreSQL: the import goes through the store's writer and its rules.
class ReportImporterTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("report-importer-test-" + std::to_string(::getpid()) + "-" + testName());
  std::unique_ptr<telemetry::test::StoreLocation> location;
  std::unique_ptr<ReportStore> store;
  ReportValidator validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);
  std::string initial = reportLine("spec-initial-report.json", "initial", "key-initial");
  std::string full = reportLine("spec-example-report.json", "full", "key-full");

  void SetUp() override {
    std::filesystem::create_directories(dir);
    location = std::make_unique<telemetry::test::StoreLocation>(GetParam(), dir);
    ReportStore::Options options;
    options.location = location->location();
    store = std::make_unique<ReportStore>(options);
  }
  void TearDown() override {
    store.reset();
    location.reset();
    std::filesystem::remove_all(dir);
  }

  ImportSummary import(const std::string& text, ReportImporter::Limits limits = {}) {
    std::istringstream in(text);
    return ReportImporter(*store, validator, limits).import(in);
  }
};

TEST_P(ReportImporterTest, StoresEachReportOnceHoweverOftenTheFileIsImported) {
  auto first = import(initial + full);
  EXPECT_EQ(first.stored, 2u);
  EXPECT_TRUE(first.refused.empty());
  auto second = import(initial + full);
  EXPECT_EQ(second.stored, 0u);
  EXPECT_EQ(second.duplicates, 2u);
  EXPECT_EQ(store->reportCount(), 2);
}

TEST_P(ReportImporterTest, RefusesAKeyReusedForAnotherReport) {
  ASSERT_EQ(import(full).stored, 1u);
  std::string other = full;
  other.replace(other.find("7.14.0"), 6, "7.15.0");
  auto summary = import(other);
  ASSERT_EQ(summary.refused.size(), 1u);
  EXPECT_EQ(summary.refused[0].line, 1u);
  EXPECT_NE(summary.refused[0].reason.find("Idempotency-Key was used before"), std::string::npos);
}

TEST_P(ReportImporterTest, DropsTheReportsOfADeletedInstallation) {
  store->submitDeletion("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", 1).get();
  auto summary = import(full);
  EXPECT_EQ(summary.stored, 0u);
  EXPECT_EQ(summary.deleted, 1u);
  EXPECT_EQ(store->reportCount(), 0);
}

TEST_P(ReportImporterTest, TheWorstFileStoresOnlyItsGoodLinesAndNamesEveryOtherOne) {
  ReportImporter::Limits limits;
  limits.maxLine = full.size();  // the line without its newline fits exactly
  const std::string hostile = initial + std::string(3 * full.size(), '[') + "\n" +
                              std::string("\0\0\0\n", 4) + "\xff\xfe garbage\n" + "   \n" + full +
                              full.substr(0, full.size() - 1);
  auto summary = import(hostile, limits);
  EXPECT_EQ(summary.stored, 2u);
  EXPECT_EQ(summary.duplicates, 0u);
  ASSERT_EQ(summary.refused.size(), 4u);
  EXPECT_EQ(summary.refused[0].line, 2u);
  EXPECT_EQ(summary.refused[0].reason, "longer than " + std::to_string(full.size()) + " bytes");
  EXPECT_EQ(summary.refused[1].line, 3u);
  EXPECT_NE(summary.refused[1].reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(summary.refused[2].line, 4u);
  EXPECT_NE(summary.refused[2].reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(summary.refused[3].line, 7u);
  EXPECT_NE(summary.refused[3].reason.find("truncated"), std::string::npos);
  EXPECT_EQ(store->reportCount(), 2);
}

TEST_P(ReportImporterTest, StopsReadingAfterTheMostReportsAFileMayHold) {
  ReportImporter::Limits limits;
  limits.maxReports = 1;
  auto summary = import(initial + full + full, limits);
  EXPECT_EQ(summary.stored, 1u);
  ASSERT_EQ(summary.refused.size(), 1u);
  EXPECT_EQ(summary.refused[0].line, 0u);
  EXPECT_EQ(summary.refused[0].reason, "more than 1 reports: the rest of the file was not read");
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportImporterTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace telemetry::collector
