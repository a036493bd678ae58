// What an operator watches, end to end: GET /healthz, the dashboard, /api/stats and
// the counters on /metrics.
#include <Poco/Data/Session.h>

#include <regex>

#include "collector_end_to_end.hpp"
#include "telemetry/storage/database.hpp"

namespace telemetry::collector::test {
namespace {

TEST_F(CollectorEndToEndTest, ReportsHealthyWhenTheStoreIsWritable) {
  start();
  EXPECT_EQ(request("GET", "/healthz").status, 200);
}

// Still 200 (issue 21): reports go on into the spool, so a load balancer keeps the node.
TEST_F(CollectorEndToEndTest, ReportsDegradedWhileTheStoreCannotBeWritten) {
  start();
  // Another process holds SQLite's write lock: the probe waits for it (the store waits up to
  // 30 s for a lock) and /healthz gives up after its 5 s.
  auto blocker = storage::openDatabase((dir / "collector.db").string()).session;
  *blocker << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;
  const auto degraded = request("GET", "/healthz");
  EXPECT_EQ(degraded.status, 200);
  EXPECT_NE(degraded.body.find(R"("status":"degraded")"), std::string::npos) << degraded.body;
  EXPECT_NE(degraded.body.find("the store does not accept writes"), std::string::npos)
      << degraded.body;
  EXPECT_EQ(post(example()).status, 202);  // into the spool meanwhile
  *blocker << "ROLLBACK", Poco::Data::Keywords::now;
  EXPECT_EQ(storedRows(), 1);
  const auto healthy = request("GET", "/healthz");
  EXPECT_EQ(healthy.status, 200);
  EXPECT_EQ(healthy.body, R"({"status":"ok"})");
}

TEST_F(CollectorEndToEndTest, ShowsStoredReportsOnTheDashboardAndInStats) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  waitUntilDrained();
  const auto stats = request("GET", "/api/stats");
  EXPECT_EQ(stats.status, 200);
  EXPECT_NE(stats.body.find(R"("vendor": "Wildfly")"), std::string::npos) << stats.body;
  const auto page = request("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Wildfly"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
}

TEST_F(CollectorEndToEndTest, CountsStatusesInMetrics) {
  start();
  post(example());
  post("{}");
  waitUntilDrained();
  const auto metrics = request("GET", "/metrics").body;
  EXPECT_NE(metrics.find("telemetry_collector_requests_total{status=\"202\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("telemetry_collector_requests_total{status=\"400\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("telemetry_collector_reports_stored_total 1"), std::string::npos);
  EXPECT_NE(metrics.find("telemetry_collector_store_commits_total 1"), std::string::npos);
  // This request's own connection is open while the metrics are rendered (earlier ones may
  // still be closing).
  EXPECT_TRUE(
      std::regex_search(metrics, std::regex("\ntelemetry_collector_connections_open [1-9]")))
      << metrics;
  EXPECT_NE(metrics.find("telemetry_collector_connections_refused_total 0"), std::string::npos);
}

// Until issue 22 no test looked at these counters.
TEST_F(CollectorEndToEndTest, CountsDuplicatesRejectionsAndRateLimitedReportsInMetrics) {
  start("rate-limit: { per-minute: 1, burst: 6 }\n");
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(example()).status, 200);
  ASSERT_EQ(post("{}").status, 400);
  ASSERT_EQ(post("not json").status, 400);
  ASSERT_EQ(post(example(), {{"Content-Type", "text/plain"}}).status, 415);
  ASSERT_EQ(request("POST", "/pings", "", {{"Content-Length", "10485760"}}).status, 413);
  ASSERT_EQ(post(example()).status, 429);  // the burst of 6 is spent
  const auto metrics = request("GET", "/metrics").body;
  for (const char* line :
       {"telemetry_collector_duplicates_total 1\n", "telemetry_collector_rate_limited_total 1\n",
        "telemetry_collector_reports_stored_total 1\n",
        "telemetry_collector_rejected_total{reason=\"invalid\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"malformed\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"not_json\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"too_large\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"overloaded\"} 0\n",
        "telemetry_collector_rejected_total{reason=\"key_reused\"} 0\n"}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line << metrics;
  }
}

}  // namespace
}  // namespace telemetry::collector::test
