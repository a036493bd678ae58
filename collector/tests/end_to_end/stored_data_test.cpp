// What happens to stored reports while the collector runs: retention, forgetting an
// installation, and two instances sharing one PostgreSQL store.
#include <Poco/Data/Session.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <vector>

#include "collector_end_to_end.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/service_url.hpp"

namespace telemetry::collector::test {
namespace {

TEST_F(CollectorEndToEndTest, DeletesReportsPastTheRetentionAndCountsThem) {
  start();
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "old"}}).status, 202);
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "new"}}).status, 202);
  EXPECT_EQ(collector->stop(), 0);
  collector.reset();
  {
    // As if the first report had arrived 401 days ago.
    auto store = storage::openDatabase((dir / "collector.db").string()).session;
    *store << "UPDATE reports SET received_at = received_at - 401 * 86400"
              " WHERE idempotency_key = 'old'",
        Poco::Data::Keywords::now;
  }
  // The summaries follow the writer, not edits by hand: they are rebuilt after one.
  const auto rebuilt = telemetry::test::runProgram(
      TELEMETRY_COLLECTOR_EXE, {"rebuild-summaries", "--config", (dir / "collector.yaml").string()},
      dir);
  ASSERT_EQ(rebuilt.exitCode, 0) << rebuilt.err;
  start("retention: 400d\n");
  EXPECT_NE(collector->log().find("retention: reports are deleted 400d after they were received"),
            std::string::npos)
      << collector->log();
  // The first pass runs at start on the writer's schedule, and logs once it is done.
  const std::string deleted = "retention: deleted 1 report(s) received before ";
  for (int i = 0; i < 600 && collector->log().find(deleted) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(collector->log().find(deleted), std::string::npos) << collector->log();
  EXPECT_EQ(storedRows(), 1);
  EXPECT_EQ(post(example(), {{"Idempotency-Key", "new"}}).status, 200);
  EXPECT_NE(request("GET", "/metrics").body.find("telemetry_collector_reports_expired_total 1\n"),
            std::string::npos);
}

TEST_F(CollectorEndToEndTest, ForgetsAnInstallationWhileRunning) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(initial()).status, 202);
  auto forget = [&](const std::string& config) {
    return telemetry::test::runProgram(
        TELEMETRY_COLLECTOR_EXE,
        {"forget", "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", "--config", config}, dir);
  };
  const auto forgotten = forget((dir / "collector.yaml").string());
  EXPECT_EQ(forgotten.exitCode, 0) << forgotten.err;
  EXPECT_EQ(forgotten.out,
            "deleted 1 report(s) of installation 8343cc7a-8ad1-42d4-97d2-43452c0bdfa3\n"
            "recorded as deleted: reports that still arrive from it are dropped\n");
  EXPECT_EQ(storedRows(), 1) << "the other installation stays";
  EXPECT_EQ(stats()->getObject("installations")->getValue<std::int64_t>("total"), 1);

  const auto again = forget((dir / "collector.yaml").string());
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.out,
            "no report of installation 8343cc7a-8ad1-42d4-97d2-43452c0bdfa3 is stored\n"
            "recorded as deleted: reports that still arrive from it are dropped\n");
  const auto late = post(example(), {{"Idempotency-Key", "late"}});
  // Accepted into the spool, then dropped by the drain: the installation was forgotten.
  EXPECT_EQ(late.status, 202) << late.body;
  EXPECT_EQ(storedRows(), 1);

  const auto noId = telemetry::test::runProgram(
      TELEMETRY_COLLECTOR_EXE, {"forget", "--config", (dir / "collector.yaml").string()}, dir);
  EXPECT_EQ(noId.exitCode, 2) << noId.err;
  const auto upper = telemetry::test::runProgram(TELEMETRY_COLLECTOR_EXE,
                                                 {"--config", (dir / "collector.yaml").string(),
                                                  "forget", "8343CC7A-8AD1-42D4-97D2-43452C0BDFA3"},
                                                 dir);
  EXPECT_EQ(upper.exitCode, 2);
  EXPECT_NE(upper.err.find("is not an installation id"), std::string::npos) << upper.err;

  // A '/' in the password ended Poco's host part early, and its message quoted the password.
  writeFile(dir / "postgres.yaml",
            "plain-http: true\nstore: postgresql://app:s3cr3t/x@127.0.0.1/telemetry\n");
  const auto badUrl = forget((dir / "postgres.yaml").string());
  EXPECT_EQ(badUrl.exitCode, 1);
  EXPECT_EQ(badUrl.err.find("s3cr3t"), std::string::npos) << badUrl.err;
  EXPECT_NE(badUrl.err.find("postgresql://app:***@127.0.0.1/telemetry"), std::string::npos)
      << badUrl.err;

  writeFile(dir / "elsewhere.yaml", "plain-http: true\nstore: elsewhere/collector.db\n");
  const auto missing = forget((dir / "elsewhere.yaml").string());
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_EQ(missing.err, "telemetry-collector: cannot forget: no store at " +
                             (dir / "elsewhere/collector.db").string() + "\n");
}

TEST_F(CollectorEndToEndTest, RebuildsTheSummariesWhileRunning) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(initial()).status, 202);
  auto figures = [&] {
    std::ostringstream json;
    auto stats = this->stats();
    stats->remove("filter");  // none of these is the store's to compare
    stats->remove("trends");
    stats->stringify(json);
    return json.str();
  };
  const auto before = figures();
  const auto rebuilt = telemetry::test::runProgram(
      TELEMETRY_COLLECTOR_EXE, {"rebuild-summaries", "--config", (dir / "collector.yaml").string()},
      dir);
  EXPECT_EQ(rebuilt.exitCode, 0) << rebuilt.err;
  const auto logged = rebuilt.out + rebuilt.err;
  EXPECT_NE(logged.find("summaries: installations: 2 row(s)"), std::string::npos) << logged;
  EXPECT_NE(logged.find("summaries rebuilt"), std::string::npos) << logged;
  EXPECT_EQ(figures(), before);
  // The running collector's writer goes on from the rebuilt tables.
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "after"}}).status, 202);
  for (int i = 0; i < 600 && storedRows() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(stats()->getObject("installations")->getValue<std::int64_t>("total"), 2);

  writeFile(dir / "elsewhere.yaml", "plain-http: true\nstore: elsewhere/collector.db\n");
  const auto missing = telemetry::test::runProgram(
      TELEMETRY_COLLECTOR_EXE, {"rebuild-summaries", "--config", (dir / "elsewhere.yaml").string()},
      dir);
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_EQ(missing.err, "telemetry-collector: cannot rebuild the summaries: no store at " +
                             (dir / "elsewhere/collector.db").string() + "\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "elsewhere")) << "and created nothing";
}

// Needs a PostgreSQL database it may empty: the ctest `postgres` fixture's, or
// TELEMETRY_COLLECTOR_TEST_POSTGRES_URL=postgresql://... when run by hand.
TEST_F(CollectorEndToEndTest, TwoInstancesOnOnePostgresqlStoreKeepOneRow) {
  const char* fromEnvironment = std::getenv("TELEMETRY_COLLECTOR_TEST_POSTGRES_URL");
  const std::string database = fromEnvironment != nullptr && *fromEnvironment != '\0'
                                   ? std::string(fromEnvironment)
                                   : telemetry::test::serviceUrl("postgres");
  const char* url = database.c_str();
  const std::string psql = std::string("psql -q '") + url +
                           "' -c 'DROP TABLE IF EXISTS reports, "
                           "store_health, deleted_installations, installations, current_counts, "
                           "daily_activity, daily_counts, daily_reports, schema_migrations' "
                           ">/dev/null "
                           "2>&1";
  ASSERT_EQ(run(psql), 0);
  const std::string store = std::string("store: ") + url + "\n";
  // Each collector has a spool of its own.
  start(store + "spool: { directory: first.spool }\n");
  const int firstPort = port;
  auto first = std::move(collector);
  fs::rename(dir / "collector.log", dir / "first.log");
  start(store);
  const int secondPort = port;
  std::vector<int> statuses(8);
  std::vector<std::thread> senders;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    senders.emplace_back([&, i] {
      statuses[i] = requestAt(i % 2 == 0 ? firstPort : secondPort, "POST", "/pings", example(),
                              {{"Idempotency-Key", "shared-key"}})
                        .status;
    });
  }
  for (auto& sender : senders) sender.join();
  std::string all;
  for (int status : statuses) all += std::to_string(status) + " ";
  // Each instance knows its own recent keys only: the same report reaching both at once is
  // accepted by each at most once, and stored once.
  const auto accepted = std::count(statuses.begin(), statuses.end(), 202);
  EXPECT_GE(accepted, 1) << all;
  EXPECT_LE(accepted, 2) << all;
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 8 - accepted) << all;
  waitUntilDrained(firstPort);
  EXPECT_EQ(storedRows(), 1);
  first->stop();
}

}  // namespace
}  // namespace telemetry::collector::test
