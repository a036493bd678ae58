#include "dedup/recent_reports.hpp"

#include <gtest/gtest.h>

#include "spool/spool_test_support.hpp"

namespace telemetry::collector {
namespace {

using Verdict = RecentReports::Verdict;
constexpr std::chrono::hours kDay(24);

ReceivedReport initial(std::int64_t at, const std::string& key) {
  std::string json = test::fixture("spec-initial-report.json");
  return ReceivedReport::fromDocument(test::parse(json).root(), "ip-hash", key, at);
}

TEST(RecentReportsTest, AnswersARepeatedKeyAsDuplicate) {
  RecentReports recent(kDay);
  EXPECT_EQ(recent.claim(test::spooledReport(1, "key", 1000)), Verdict::fresh);
  EXPECT_EQ(recent.claim(test::spooledReport(1, "key", 1001)), Verdict::duplicate);
}

TEST(RecentReportsTest, AnswersAKeyReusedForAnotherPayload) {
  RecentReports recent(kDay);
  recent.claim(test::spooledReport(1, "key", 1000));
  EXPECT_EQ(recent.claim(test::spooledReport(2, "key", 1001)), Verdict::keyReused);
}

TEST(RecentReportsTest, AnswersTheSamePayloadWithoutKeyWithinTheWindow) {
  RecentReports recent(kDay);
  recent.claim(test::spooledReport(1, "", 1000));
  EXPECT_EQ(recent.claim(test::spooledReport(1, "", 1000 + 3600)), Verdict::duplicate);
  EXPECT_EQ(recent.claim(test::spooledReport(2, "", 1000 + 3600)), Verdict::fresh);
  auto otherIp = test::spooledReport(1, "", 1000 + 3600);
  otherIp.ipHash = "another";
  EXPECT_EQ(recent.claim(otherIp), Verdict::fresh);
}

TEST(RecentReportsTest, ForgetsWhatIsOlderThanTheWindow) {
  RecentReports recent(kDay);
  recent.claim(test::spooledReport(1, "", 1000));
  recent.claim(test::spooledReport(3, "key", 1000));
  EXPECT_EQ(recent.claim(test::spooledReport(1, "", 1000 + 25 * 3600)), Verdict::fresh);
  EXPECT_EQ(recent.claim(test::spooledReport(3, "key", 1000 + 25 * 3600)), Verdict::fresh);
}

TEST(RecentReportsTest, AnswersASecondInitialReportAsDuplicate) {
  RecentReports recent(kDay);
  EXPECT_EQ(recent.claim(initial(1000, "a")), Verdict::fresh);
  EXPECT_EQ(recent.claim(initial(1001, "b")), Verdict::duplicate);
}

TEST(RecentReportsTest, ForgetsAReleasedClaim) {
  RecentReports recent(kDay);
  const auto report = test::spooledReport(1, "key", 1000);
  recent.claim(report);
  recent.release(report);
  EXPECT_EQ(recent.claim(report), Verdict::fresh);
  EXPECT_EQ(recent.claim(test::spooledReport(1, "", 1000)), Verdict::duplicate);
}

TEST(RecentReportsTest, RemembersWhatTheRebuildHandsIt) {
  RecentReports recent(kDay);
  recent.remember(test::spooledReport(1, "key", 1000));
  EXPECT_EQ(recent.claim(test::spooledReport(1, "key", 1002)), Verdict::duplicate);
}

TEST(RecentReportsTest, HoldsAtMostItsCapacity) {
  RecentReports recent(kDay, 10);
  for (int n = 0; n < 100; ++n) recent.claim(test::spooledReport(n, "k" + std::to_string(n), 1000));
  EXPECT_LE(recent.size(), 10u);
  EXPECT_EQ(recent.claim(test::spooledReport(0, "k0", 1000)), Verdict::fresh);
  EXPECT_EQ(recent.claim(test::spooledReport(99, "k99", 1000)), Verdict::duplicate);
}

}  // namespace
}  // namespace telemetry::collector
