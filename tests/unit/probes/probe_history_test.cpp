#include "probes/probe_history.hpp"

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/temp_directory.hpp"

using telemetry::ProbeHistory;
using telemetry::ProbeOutcome;
using ::testing::HasSubstr;

namespace {

ProbeOutcome outcome(std::string plugin, ProbeOutcome::Status status, std::string text,
                     std::chrono::milliseconds elapsed = std::chrono::milliseconds(12)) {
  return {std::move(plugin), "/product/internals/jdk", status, std::move(text), elapsed};
}

class ProbeHistoryTest : public ::testing::Test {
 protected:
  telemetry::test::TempDirectory temp_;
  ProbeHistory history_{temp_ / "state.db.probes.json"};
};

TEST_F(ProbeHistoryTest, LivesBesideTheStateStoreOrInTheWorkingDirectoryForAUrl) {
  telemetry::StateConfig file;
  file.path = "/var/lib/telemetry/state.db";
  EXPECT_EQ(ProbeHistory::locationFor(file), "/var/lib/telemetry/state.db.probes.json");
  telemetry::StateConfig url;
  url.path = "postgresql://user@db/telemetry";
  EXPECT_EQ(ProbeHistory::locationFor(url), "telemetry-probes.json");
}

TEST_F(ProbeHistoryTest, NothingRecordedReadsAsEmpty) { EXPECT_TRUE(history_.read().empty()); }

TEST_F(ProbeHistoryTest, KeepsTheLastOutcomeAndDurationOfEachProbe) {
  history_.record({outcome("jdk", ProbeOutcome::Status::value, R"({"version":"17"})"),
                   outcome("hang", ProbeOutcome::Status::timedOut, "no answer within 10 ms")});
  history_.record({outcome("hang", ProbeOutcome::Status::failed, "crashed with SIGSEGV",
                           std::chrono::milliseconds(7))});
  auto entries = history_.read();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries["jdk"].outcome, "ok");
  EXPECT_EQ(entries["jdk"].durationMs, 12);
  EXPECT_EQ(entries["hang"].outcome, "failed: crashed with SIGSEGV");
  EXPECT_EQ(entries["hang"].durationMs, 7);
  EXPECT_EQ(entries["hang"].at.size(), std::string("2024-05-01T12:00:00Z").size());
}

TEST_F(ProbeHistoryTest, AValueTheReportCannotUseIsNotOk) {
  EXPECT_THAT(ProbeHistory::describe(outcome("x", ProbeOutcome::Status::value, "{oops")),
              HasSubstr("failed: returned invalid JSON"));
  EXPECT_THAT(ProbeHistory::describe(outcome("x", ProbeOutcome::Status::value, "[1]")),
              HasSubstr("needs an object"));
  EXPECT_EQ(ProbeHistory::describe(outcome("x", ProbeOutcome::Status::notApplicable, "none")),
            "not applicable: none");
}

TEST_F(ProbeHistoryTest, UnwritableLocationIsLoggedNotThrown) {
  ProbeHistory nowhere(temp_ / "missing-dir" / "x.probes.json");
  EXPECT_NO_THROW(nowhere.record({outcome("jdk", ProbeOutcome::Status::value, "{}")}));
  EXPECT_TRUE(nowhere.read().empty());
}

TEST_F(ProbeHistoryTest, CorruptFileIsReplacedOnTheNextRecord) {
  std::ofstream(history_.file()) << "not json";
  EXPECT_TRUE(history_.read().empty());
  history_.record({outcome("jdk", ProbeOutcome::Status::value, "{}")});
  EXPECT_EQ(history_.read().at("jdk").outcome, "ok");
}

}  // namespace
