// The spool end to end (issue 21): what was answered 202 survives kill -9 and a torn spool,
// is stored exactly once, and a full spool answers 503.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "collector_end_to_end.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/service_url.hpp"

namespace telemetry::collector::test {
namespace {

// Idempotency key -> rows holding it, in the store at `location`.
std::map<std::string, int> storedKeys(const std::string& location) {
  std::map<std::string, int> keys;
  try {
    auto session = storage::openDatabase(location).session;
    Poco::Data::Statement select(*session);
    select << "SELECT idempotency_key FROM reports", Poco::Data::Keywords::now;
    Poco::Data::RecordSet rows(select);
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      ++keys[rows.value(0).toString()];
    }
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << e.displayText();
  }
  return keys;
}

// The spec's example report as installation `n`, so every report is a different one.
std::string exampleOf(int n) {
  std::string json = fixture("spec-example-report.json");
  const std::string id = "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3";
  char suffix[13];
  std::snprintf(suffix, sizeof suffix, "%012d", n);
  json.replace(json.find(id), id.size(), id.substr(0, 24) + suffix);
  return json;
}

class SpoolEndToEndTest : public CollectorEndToEndTest {
 protected:
  std::mutex mutex;
  std::set<std::string> accepted;  // keys answered 202
  std::atomic<int> next{0};

  // Senders post different reports until `stop`, each remembering what was answered 202; a
  // connection cut by a killed collector is no answer.
  std::vector<std::thread> sendUntil(std::atomic<bool>& stop, int senders = 4) {
    std::vector<std::thread> threads;
    for (int s = 0; s < senders; ++s) {
      threads.emplace_back([this, &stop, target = port] {
        while (!stop) {
          const int n = next++;
          const std::string key = "key-" + std::to_string(n);
          try {
            if (requestAt(target, "POST", "/pings", exampleOf(n), {{"Idempotency-Key", key}})
                    .status == 202) {
              std::lock_guard lock(mutex);
              accepted.insert(key);
            }
          } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
        }
      });
    }
    return threads;
  }

  // kill(-1) would kill every process we may signal: never without a started collector.
  void killCollector() {
    ASSERT_TRUE(collector && collector->pid() > 0) << "no collector running to kill";
    ::kill(collector->pid(), SIGKILL);
  }

  // Kill -9 under load, restart, `rounds` times; then every key answered 202 is stored once.
  void killUnderLoad(const std::string& store, const std::string& location, int rounds) {
    start(store);
    for (int round = 0; round < rounds; ++round) {
      std::atomic<bool> stop{false};
      auto senders = sendUntil(stop);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      killCollector();
      stop = true;
      for (auto& sender : senders) sender.join();
      collector->stop();
      start(store);
    }
    waitUntilDrained();
    const auto stored = storedKeys(location);
    ASSERT_GT(accepted.size(), 0u);
    for (const auto& key : accepted) EXPECT_EQ(stored.count(key) ? stored.at(key) : 0, 1) << key;
    for (const auto& [key, rows] : stored) EXPECT_EQ(rows, 1) << key;
  }

  std::string postgresUrl() {
    const std::string url = telemetry::test::serviceUrl("postgres");
    EXPECT_EQ(run("psql -q '" + url + "' -c 'DROP TABLE IF EXISTS " + kStoreTables +
                  "' "
                  ">/dev/null 2>&1"),
              0);
    return url;
  }
};

TEST_F(SpoolEndToEndTest, StoresEveryAcceptedReportOnceAfterKillNineOnSqlite) {
  killUnderLoad("", (dir / "collector.db").string(), 3);
}

TEST_F(SpoolEndToEndTest, StoresEveryAcceptedReportOnceAfterKillNineOnPostgresql) {
  const std::string url = postgresUrl();
  killUnderLoad("store: " + url + "\n", url, 3);
}

TEST_F(SpoolEndToEndTest, CutsATornSpoolTailAtStartAndStoresWhatCameBefore) {
  start();
  // Another process holds SQLite's write lock: reports stay in the spool.
  auto blocker = storage::openDatabase((dir / "collector.db").string()).session;
  *blocker << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;
  for (int n = 0; n < 5; ++n) {
    ASSERT_EQ(post(exampleOf(n), {{"Idempotency-Key", "key-" + std::to_string(n)}}).status, 202);
  }
  killCollector();
  collector->stop();
  *blocker << "ROLLBACK", Poco::Data::Keywords::now;
  blocker.reset();
  // A crash in the middle of the last record's write.
  std::vector<fs::path> segments;
  for (const auto& entry : fs::directory_iterator(dir / "collector.spool")) {
    segments.push_back(entry.path());
  }
  std::sort(segments.begin(), segments.end());
  ASSERT_FALSE(segments.empty());
  fs::resize_file(segments.back(), fs::file_size(segments.back()) - 100);

  start();
  EXPECT_NE(collector->log().find("spool: cut "), std::string::npos) << collector->log();
  EXPECT_NE(collector->log().find("spool: 4 report(s) from before the start wait to be stored"),
            std::string::npos)
      << collector->log();
  waitUntilDrained();
  const auto stored = storedKeys((dir / "collector.db").string());
  EXPECT_EQ(stored,
            (std::map<std::string, int>{{"key-0", 1}, {"key-1", 1}, {"key-2", 1}, {"key-3", 1}}));
}

TEST_F(SpoolEndToEndTest, AnswersDuplicatesFromTheSpoolAfterARestart) {
  start();
  auto blocker = storage::openDatabase((dir / "collector.db").string()).session;
  *blocker << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;
  ASSERT_EQ(post(exampleOf(1), {{"Idempotency-Key", "k"}}).status, 202);
  killCollector();
  collector->stop();
  *blocker << "ROLLBACK", Poco::Data::Keywords::now;
  blocker.reset();
  // A new, empty store: the report is known from the spool alone.
  fs::rename(dir / "collector.db", dir / "before.db");
  start();
  EXPECT_EQ(post(exampleOf(1), {{"Idempotency-Key", "k"}}).status, 200);
  EXPECT_EQ(post(exampleOf(2), {{"Idempotency-Key", "k"}}).status, 422);
  EXPECT_EQ(storedRows(), 1);
  // And from the store once the spool is empty (a clean stop leaves it so).
  EXPECT_EQ(collector->stop(), 0);
  for (const auto& entry : fs::directory_iterator(dir / "collector.spool")) {
    EXPECT_EQ(entry.path().filename(), "spare.seg");  // kept for reuse, holds no report
  }
  start();
  EXPECT_EQ(post(exampleOf(1), {{"Idempotency-Key", "k"}}).status, 200);
}

TEST_F(SpoolEndToEndTest, AnswersAFullSpool503UntilTheStoreTakesItsReports) {
  start("spool: { max-size: 64KiB }\n");
  auto blocker = storage::openDatabase((dir / "collector.db").string()).session;
  *blocker << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;
  Reply reply;
  int n = 0;
  for (; n < 200; ++n) {
    reply = post(exampleOf(n), {{"Idempotency-Key", "key-" + std::to_string(n)}});
    if (reply.status != 202) break;
  }
  EXPECT_EQ(reply.status, 503) << reply.body;
  EXPECT_EQ(reply.headers["Retry-After"], "1");
  EXPECT_NE(reply.body.find("the spool is full"), std::string::npos) << reply.body;
  const auto health = request("GET", "/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_NE(health.body.find("the spool is full"), std::string::npos) << health.body;
  // The refused report was not remembered: once there is room it is accepted.
  *blocker << "ROLLBACK", Poco::Data::Keywords::now;
  blocker.reset();
  EXPECT_EQ(storedRows(), n);
  EXPECT_EQ(post(exampleOf(n), {{"Idempotency-Key", "key-" + std::to_string(n)}}).status, 202);
}

TEST_F(SpoolEndToEndTest, ShowsTheSpoolInMetrics) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  waitUntilDrained();
  const auto metrics = request("GET", "/metrics").body;
  for (const char* line :
       {"telemetry_collector_spool_bytes ", "telemetry_collector_spool_unstored_bytes 0\n",
        "telemetry_collector_spool_segments 1\n",
        "telemetry_collector_spool_oldest_unstored_seconds 0\n",
        "telemetry_collector_spool_syncs_total 1\n", "telemetry_collector_spool_drained_total 1\n",
        "telemetry_collector_spool_drained_duplicates_total 0\n",
        "telemetry_collector_spool_refused_total 0\n"}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line << metrics;
  }
}

// A PostgreSQL server of this test's own (the shared fixture's serves other tests meanwhile),
// stopped the hard way and started again.
class OwnPostgresql {
 public:
  explicit OwnPostgresql(const fs::path& state) : state_(state) {
    started_ = run(std::string(TELEMETRY_POSTGRES_SERVICE) + " start " + state.string() +
                   " >/dev/null") == 0;
    url = readFile(state / "url");
    url = url.substr(0, url.find('\n'));
    data_ = readFile(state / "data");
    data_ = data_.substr(0, data_.find('\n'));
  }
  ~OwnPostgresql() { run(std::string(TELEMETRY_POSTGRES_SERVICE) + " stop " + state_.string()); }
  bool started() const { return started_; }

  int stopImmediately() { return pgCtl("-m immediate -w -s stop"); }
  int start() {
    const std::string port = std::to_string(telemetry::test::portOf(url));
    return pgCtl("-l " + data_ + "/server.log -w -s -o '-p " + port + " -k " + data_ +
                 " -c listen_addresses=127.0.0.1 -c fsync=off' start");
  }

  std::string url;

 private:
  int pgCtl(const std::string& args) {
    // As tests/services/postgres.sh runs it: as user postgres when the tests run as root.
    const std::string bin = "\"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)\"/pg_ctl";
    const std::string user = ::getuid() == 0 ? "runuser -u postgres -- " : "";
    return run("cd " + data_ + " && " + user + bin + " -D " + data_ + "/pgdata " + args);
  }

  fs::path state_;
  std::string data_;
  bool started_ = false;
};

// Issue 21: a PostgreSQL outage under load. No request fails except with 503 once the
// (small) spool is full, /healthz says degraded meanwhile, and once the server is back
// every report answered 202 is stored exactly once.
TEST_F(SpoolEndToEndTest, TwoCollectorsKeepAcceptingWhilePostgresqlIsDown) {
  OwnPostgresql postgres(dir / "postgres");
  ASSERT_TRUE(postgres.started());
  const auto config = [&](const std::string& spool) {
    return "store: " + postgres.url + "\nspool: { directory: " + spool +
           ", max-size: 1MiB }\nrate-limit: { per-minute: 1000000, burst: 100000 }\n";
  };
  start(config("first.spool"));
  const int firstPort = port;
  auto first = std::move(collector);
  fs::rename(dir / "collector.log", dir / "first.log");
  start(config("second.spool"));
  const int secondPort = port;

  std::mutex lock;
  std::map<int, int> statuses;  // status (0: no answer) -> count
  std::set<std::string> accepted;
  std::atomic<bool> stop{false};
  std::atomic<int> next{0};
  std::vector<std::thread> senders;
  for (int s = 0; s < 4; ++s) {
    senders.emplace_back([&, target = s % 2 == 0 ? firstPort : secondPort] {
      while (!stop) {
        const int n = next++;
        const std::string key = "key-" + std::to_string(n);
        int status = 0;
        try {
          status =
              requestAt(target, "POST", "/pings", exampleOf(n), {{"Idempotency-Key", key}}).status;
        } catch (const std::exception&) {
        }
        std::lock_guard guard(lock);
        ++statuses[status];
        if (status == 202) accepted.insert(key);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_EQ(postgres.stopImmediately(), 0);
  // Until its spool fills, each collector says degraded (200); then full (503).
  std::map<int, std::set<std::string>> health;
  for (int i = 0; i < 80; ++i) {
    for (const int target : {firstPort, secondPort}) {
      const auto reply = requestAt(target, "GET", "/healthz", "", {});
      health[target].insert(std::to_string(reply.status) + " " + reply.body);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_EQ(postgres.start(), 0);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  stop = true;
  for (auto& sender : senders) sender.join();

  waitUntilDrained(firstPort);
  waitUntilDrained(secondPort);
  std::string all;
  for (auto [status, count] : statuses)
    all += std::to_string(status) + ": " + std::to_string(count) + " ";
  EXPECT_GT(statuses[202], 0) << all;
  EXPECT_GT(statuses[503], 0) << all << "(the spool never filled: the test proves less)";
  EXPECT_EQ(statuses[202] + statuses[503], next.load()) << all;
  for (const int target : {firstPort, secondPort}) {
    std::string seen;
    bool degraded = false;
    for (const auto& answer : health[target]) {
      seen += answer + "\n";
      degraded = degraded || (answer.starts_with("200 ") &&
                              answer.find(R"("status":"degraded")") != std::string::npos);
    }
    EXPECT_TRUE(degraded) << seen;
  }
  const auto stored = storedKeys(postgres.url);
  for (const auto& key : accepted) EXPECT_EQ(stored.count(key) ? stored.at(key) : 0, 1) << key;
  for (const auto& [key, rows] : stored) EXPECT_EQ(rows, 1) << key;
  EXPECT_EQ(stored.size(), accepted.size());
  first->stop();
}

}  // namespace
}  // namespace telemetry::collector::test
