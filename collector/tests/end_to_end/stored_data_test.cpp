// What happens to stored reports while the collector runs: retention, forgetting an
// installation, and two instances sharing one PostgreSQL store.
#include <Poco/Data/Session.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <vector>

#include "collector_end_to_end.hpp"
#include "store/report_store.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/service_url.hpp"
#include "telemetry/test/store_location.hpp"

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
  const std::string psql = std::string("psql -q '") + url + "' -c 'DROP TABLE IF EXISTS " +
                           kStoreTables +
                           "' >/dev/null "
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

std::int64_t reportsIn(const std::string& location) {
  auto session = storage::openDatabase(location).session;
  Poco::Int64 reports = -1;
  *session << "SELECT COUNT(*) FROM reports", Poco::Data::Keywords::into(reports),
      Poco::Data::Keywords::now;
  return reports;
}

void runSql(const std::string& location, const std::string& sql) {
  auto session = storage::openDatabase(location).session;
  *session << sql, Poco::Data::Keywords::now;
}

// A streaming hot standby of the suite's PostgreSQL server, started by its services script
// (pg_basebackup -R), stopped by the destructor.
class StreamingReplica {
 public:
  StreamingReplica(const fs::path& state, const std::string& primaryUrl) : state_(state) {
    started_ = run(std::string(TELEMETRY_POSTGRES_SERVICE) + " replica " + state.string() + " '" +
                   primaryUrl + "' >/dev/null") == 0;
    if (started_) port = telemetry::test::portOf(readFile(state / "url"));
  }
  ~StreamingReplica() { stop(); }
  StreamingReplica(const StreamingReplica&) = delete;
  StreamingReplica& operator=(const StreamingReplica&) = delete;
  void stop() { run(std::string(TELEMETRY_POSTGRES_SERVICE) + " stop " + state_.string()); }
  bool started() const { return started_; }

  std::uint16_t port = 0;

 private:
  fs::path state_;
  bool started_ = false;
};

// `store-read` on a real streaming replica: the dashboard shows the replica's reports (what
// the primary stored while replay was paused is not there), the intake writes the primary,
// and with the replica gone only the dashboard fails.
TEST_F(CollectorEndToEndTest, TheDashboardReadsAStreamingReplicaWhileReportsGoToThePrimary) {
  telemetry::test::StoreLocation primary("postgres", dir);
  {
    ReportStore::Options options;
    options.location = primary.location();
    ReportStore seeded(options);
    for (int i = 0; i < 2; ++i) {
      const auto document = telemetry::collector::test::parse(example());
      const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
      ASSERT_EQ(seeded
                    .submit(ReceivedReport::fromDocument(document.root(), "ip",
                                                         "seeded-" + std::to_string(i), at))
                    .get(),
                StoreOutcome::stored);
    }
  }
  StreamingReplica replica(dir / "replica", telemetry::test::serviceUrl("postgres"));
  ASSERT_TRUE(replica.started());
  const std::string replicaUrl = telemetry::test::withPort(primary.location(), replica.port);
  start("store: " + primary.location() + "\nstore-read: " + replicaUrl + "\n");
  auto figures = [this] {
    const auto reply = request("GET", "/api/stats");
    if (reply.status != 200) return std::int64_t{-reply.status};
    return Poco::JSON::Parser()
        .parse(reply.body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::int64_t>("reports");
  };
  EXPECT_EQ(figures(), 2);

  runSql(replicaUrl, "SELECT 1 FROM (SELECT pg_wal_replay_pause()) AS paused");
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "while-paused"}}).status, 202);
  waitUntilDrained();
  EXPECT_EQ(reportsIn(primary.location()), 3);
  EXPECT_EQ(figures(), 2) << "the replica's figures, not the primary's";
  runSql(replicaUrl, "SELECT 1 FROM (SELECT pg_wal_replay_resume()) AS resumed");
  std::int64_t shown = 0;
  for (int i = 0; i < 600 && shown != 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    shown = figures();
  }
  EXPECT_EQ(shown, 3) << "the replica caught up";

  replica.stop();
  EXPECT_EQ(figures(), -503);
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "replica-down"}}).status, 202);
  waitUntilDrained();
  EXPECT_EQ(reportsIn(primary.location()), 4) << "intake goes on into the primary";
  EXPECT_NE(collector->log().find("dashboard: reads from postgresql://telemetry:***@"),
            std::string::npos)
      << collector->log();
}

TEST_F(CollectorEndToEndTest, AReplicaDownFailsTheDashboardOnly) {
  telemetry::test::StoreLocation primary("postgres", dir);
  // Nothing listens on port 1: refused at once.
  start("store: " + primary.location() +
        "\nstore-read: postgresql://telemetry:s3cr3t-pw@127.0.0.1:1/telemetry\n");
  auto stats = request("GET", "/api/stats");
  EXPECT_EQ(stats.status, 503) << stats.body;
  EXPECT_EQ(stats.headers["Retry-After"], "10");
  EXPECT_EQ(request("GET", "/").status, 503);
  EXPECT_EQ(post(example()).status, 202);
  waitUntilDrained();
  EXPECT_EQ(reportsIn(primary.location()), 1) << "intake goes on into the store";
  EXPECT_EQ(request("GET", "/healthz").status, 200);
  const std::string log = collector->log();
  EXPECT_NE(log.find("cannot be read"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cr3t-pw"), std::string::npos) << log;
}

}  // namespace
}  // namespace telemetry::collector::test
