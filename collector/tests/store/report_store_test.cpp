#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "config/collector_log.hpp"
#include "partitions/utc_month.hpp"
#include "store/installation_eraser.hpp"
#include "store/report_store.hpp"
#include "store/store_schema.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/store_location.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

constexpr const char* kFull =
    R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3","product":{"name":"Camunda BPM Runtime",)"
    R"("version":"7.14.0","edition":"enterprise","internals":{"database":{"vendor":"h2","version":"1"},)"
    R"("commands":{},"metrics":{},"webapps":["cockpit","admin"]}}})";
constexpr const char* kInitial =
    R"({"installation":"b647de4d-e557-455a-a64f-feaecd55f53c","product":{"name":"Camunda BPM Runtime",)"
    R"("version":"7.14.0","edition":"community","internals":{"telemetry-enabled":false}}})";

// "stores_a_new_report/sqlite" as one directory name.
std::string testName() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

ReceivedReport report(const std::string& json, const std::string& ipHash, const std::string& key,
                      std::int64_t at) {
  return ReceivedReport::fromDocument(test::parse(json).root(), ipHash, key, at);
}

// Each test runs on SQLite (statements prepared once through the C API) and on PostgreSQL
// (through Poco::Data): both writers must decide duplicates alike.
class ReportStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("report-store-test-" + std::to_string(::getpid()) + "-" + testName());
  std::unique_ptr<telemetry::test::StoreLocation> location;
  std::unique_ptr<ReportStore> store;
  std::atomic<int> commits{0};
  std::atomic<int> committedReports{0};

  void SetUp() override {
    std::filesystem::create_directories(dir);
    location = std::make_unique<telemetry::test::StoreLocation>(GetParam(), dir);
    open();
  }
  void TearDown() override {
    store.reset();
    location.reset();
    std::filesystem::remove_all(dir);
  }
  void open() {
    store.reset();
    store = std::make_unique<ReportStore>(options());
  }
  // Small queue and batches, so that tests see batching; counts commits.
  ReportStore::Options options() {
    ReportStore::Options options;
    options.location = location->location();
    options.queueCapacity = 16;
    options.maxBatch = 4;
    options.committed = [this](std::size_t reports) {
      ++commits;
      committedReports += static_cast<int>(reports);
    };
    return options;
  }
  StoreOutcome put(const ReceivedReport& r) { return store->submit(r).get(); }
  // The spool drain's way in: one transaction for all (on PostgreSQL, batch-wise statements).
  std::vector<StoreOutcome> putAll(std::vector<ReceivedReport> reports) {
    std::promise<std::vector<StoreOutcome>> promise;
    auto outcomes = promise.get_future();
    store->submitAll(std::move(reports),
                     [&promise](std::vector<StoreOutcome> all, std::exception_ptr failure) {
                       if (failure) {
                         promise.set_exception(failure);
                       } else {
                         promise.set_value(std::move(all));
                       }
                     });
    return outcomes.get();
  }
};

// kFull of another installation (and so another payload), numbered.
std::string fullOf(int installation, const std::string& version = "7.14.0") {
  std::string json = kFull;
  char id[13];
  std::snprintf(id, sizeof id, "%012d", installation);
  json.replace(json.find("43452c0bdfa3"), 12, id);
  json.replace(json.find("7.14.0"), 6, version);
  return json;
}

TEST_P(ReportStoreTest, StoresANewReport) {
  EXPECT_EQ(put(report(kFull, "ip-a", "", 1000)), StoreOutcome::stored);
  EXPECT_EQ(store->reportCount(), 1);
}

TEST_P(ReportStoreTest, DropsARepeatedIdempotencyKey) {
  put(report(kFull, "ip-a", "key-1", 1000));
  EXPECT_EQ(put(report(kFull, "ip-b", "key-1", 999999)), StoreOutcome::duplicate);
  EXPECT_EQ(store->reportCount(), 1);
}

// Found by an outside trial: a key reused with another body was answered "duplicate" and
// the body dropped without a word.
TEST_P(ReportStoreTest, RefusesARepeatedIdempotencyKeyWithAnotherPayload) {
  put(report(kFull, "ip-a", "key-1", 1000));
  std::string other = kFull;
  other.replace(other.find("7.14.0"), 6, "7.15.0");
  EXPECT_EQ(put(report(other, "ip-a", "key-1", 1001)), StoreOutcome::keyReused);
  EXPECT_EQ(put(report(other, "ip-a", "key-2", 1001)), StoreOutcome::stored);
  EXPECT_EQ(store->reportCount(), 2);
}

TEST_P(ReportStoreTest, DropsTheSamePayloadFromTheSameIpWithinTheWindow) {
  put(report(kFull, "ip-a", "", 1000));
  EXPECT_EQ(put(report(kFull, "ip-a", "", 1000 + 3600)), StoreOutcome::duplicate);
}

TEST_P(ReportStoreTest, KeepsTheSamePayloadAfterTheWindow) {
  put(report(kFull, "ip-a", "", 1000));
  EXPECT_EQ(put(report(kFull, "ip-a", "", 1000 + 25 * 3600)), StoreOutcome::stored);
}

TEST_P(ReportStoreTest, DropsTheSamePayloadFromTheSameIpHashedWithTheReplacedKey) {
  put(report(kFull, "ip-a-old-key", "", 1000));
  auto again = report(kFull, "ip-a-new-key", "", 1001);
  again.formerIpHashes = {"ip-a-newer-key", "ip-a-old-key"};
  EXPECT_EQ(put(again), StoreOutcome::duplicate);
  EXPECT_EQ(store->reportCount(), 1);
}

TEST_P(ReportStoreTest, KeepsTheSamePayloadFromAnotherIp) {
  put(report(kFull, "ip-a", "", 1000));
  EXPECT_EQ(put(report(kFull, "ip-b", "", 1001)), StoreOutcome::stored);
}

TEST_P(ReportStoreTest, StoresTheInitialReportOnceEver) {
  put(report(kInitial, "ip-a", "key-1", 1000));
  EXPECT_EQ(put(report(kInitial, "ip-b", "key-2", 1000 + 365 * 86400)), StoreOutcome::duplicate);
  EXPECT_EQ(store->reportCount(), 1);
}

TEST_P(ReportStoreTest, DecidesDuplicatesWithinOneBatch) {
  auto first = store->submit(report(kFull, "ip-a", "key-1", 1000));
  auto second = store->submit(report(kFull, "ip-a", "key-1", 1000));
  EXPECT_EQ(first.get(), StoreOutcome::stored);
  EXPECT_EQ(second.get(), StoreOutcome::duplicate);
}

TEST_P(ReportStoreTest, TellsEveryCommitWithItsReports) {
  put(report(kFull, "ip-a", "key-1", 1000));
  put(report(kFull, "ip-a", "key-2", 1000));
  EXPECT_TRUE(store->writable(std::chrono::seconds(30)));  // a probe commits too
  EXPECT_EQ(commits, 3);
  EXPECT_EQ(committedReports, 3);  // the probe's job counts as one
}

TEST_P(ReportStoreTest, KeepsReportsAcrossAReopen) {
  put(report(kFull, "ip-a", "key-1", 1000));
  open();
  EXPECT_EQ(store->reportCount(), 1);
  EXPECT_EQ(put(report(kFull, "ip-a", "key-1", 1000)), StoreOutcome::duplicate);
}

TEST_P(ReportStoreTest, AnswersAHealthProbe) {
  EXPECT_TRUE(store->writable(std::chrono::seconds(30)));
}

TEST_P(ReportStoreTest, CountsInstallationsByTheirLatestReport) {
  put(report(kInitial, "ip-a", "", 1000));
  put(report(kFull, "ip-b", "", 1000));
  const auto stats = store->stats();
  EXPECT_EQ(stats.installations, 2);
  EXPECT_EQ(stats.optedIn, 1);
  EXPECT_EQ(stats.initialOnly, 1);
  ASSERT_EQ(stats.databases.size(), 1u);
  EXPECT_EQ(stats.databases[0], (std::pair<std::string, std::int64_t>{"h2", 1}));
  EXPECT_EQ(stats.webapps.size(), 2u);
}

// Found by an outside trial: names were stored joined by commas, so one report with the
// webapp "cockpit,admin,tasklist" raised "cockpit" (and two others) by one.
TEST_P(ReportStoreTest, CountsAWebappWhoseNameHasCommasAsOne) {
  std::string json = kFull;
  json.replace(json.find(R"(["cockpit","admin"])"), 19,
               R"(["cockpit,admin,tasklist","cockpit","a\\,b"])");
  put(report(json, "ip-a", "", 1000));
  const auto stats = store->stats();
  const CollectorStats::Distribution expected{
      {"a\\,b", 1}, {"cockpit", 1}, {"cockpit,admin,tasklist", 1}};
  EXPECT_EQ(stats.webapps, expected);
}

// A store of the first schema (with the wide duplicate index) upgrades on open and still
// finds duplicates.
// A store as the first release left it (schema version 1), written by hand: the current
// schema can't be cut back to it (on PostgreSQL its reports are partitioned since version 4).
TEST_P(ReportStoreTest, UpgradesAStoreOfTheFirstSchema) {
  store.reset();
  {
    auto database = storage::openDatabase(location->location());
    auto& session = *database.session;
    for (const std::string& statement : std::vector<std::string>{
             "DROP TABLE IF EXISTS reports",
             "DROP TABLE IF EXISTS report_keys",
             "DROP TABLE IF EXISTS initial_reports",
             "DROP TABLE IF EXISTS deleted_installations",
             "DROP TABLE IF EXISTS store_health",
             "DROP TABLE IF EXISTS schema_migrations",
             "DROP TABLE IF EXISTS installations",
             "DROP TABLE IF EXISTS current_counts",
             "DROP TABLE IF EXISTS daily_activity",
             "DROP TABLE IF EXISTS daily_counts",
             "DROP TABLE IF EXISTS daily_reports",
             "DROP TABLE IF EXISTS current_totals",
             "DROP TABLE IF EXISTS daily_totals",
             "DROP TABLE IF EXISTS daily_report_totals",
             "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
             " applied_at BIGINT NOT NULL)",
             "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 0)",
             "CREATE TABLE reports (id " + database.dialect.autoIncrementKey() +
                 ", received_at BIGINT NOT NULL, installation TEXT NOT NULL, kind TEXT NOT NULL,"
                 " ip_hash TEXT NOT NULL, payload_digest TEXT NOT NULL,"
                 " idempotency_key TEXT NOT NULL DEFAULT '',"
                 " product_version TEXT NOT NULL DEFAULT '', edition TEXT NOT NULL DEFAULT '',"
                 " telemetry_enabled INTEGER NOT NULL DEFAULT 0,"
                 " database_vendor TEXT NOT NULL DEFAULT '',"
                 " app_server_vendor TEXT NOT NULL DEFAULT '', jdk TEXT NOT NULL DEFAULT '',"
                 " integrations TEXT NOT NULL DEFAULT '', webapps TEXT NOT NULL DEFAULT '',"
                 " payload TEXT NOT NULL)",
             "CREATE UNIQUE INDEX reports_idempotency_key ON reports (idempotency_key)"
             " WHERE idempotency_key <> ''",
             "CREATE UNIQUE INDEX reports_initial_once ON reports (installation)"
             " WHERE kind = 'initial'",
             "CREATE INDEX reports_dedup ON reports"
             " (installation, payload_digest, ip_hash, received_at)",
             "CREATE INDEX reports_received_at ON reports (received_at)",
             "CREATE TABLE store_health (id INTEGER PRIMARY KEY, checked_at BIGINT NOT NULL)",
             "INSERT INTO store_health (id, checked_at) VALUES (1, 0)",
         }) {
      session << statement, Poco::Data::Keywords::now;
    }
    auto first = report(kFull, "ip-a", "", 1000);
    session << database.dialect.sql(
        "INSERT INTO reports (received_at, installation, kind, ip_hash,"
        " payload_digest, payload) VALUES (1000, ?, 'full', ?, ?, ?)"),
        Poco::Data::Keywords::use(first.installation), Poco::Data::Keywords::use(first.ipHash),
        Poco::Data::Keywords::use(first.payloadDigest), Poco::Data::Keywords::use(first.payload),
        Poco::Data::Keywords::now;
  }
  open();
  EXPECT_EQ(put(report(kFull, "ip-a", "", 2000)), StoreOutcome::duplicate);
  EXPECT_EQ(put(report(kFull, "ip-b", "", 2000)), StoreOutcome::stored);
  EXPECT_EQ(store->reportCount(), 2);
  auto session = storage::openDatabase(location->location()).session;
  int version = 0;
  *session << "SELECT MAX(version) FROM schema_migrations", Poco::Data::Keywords::into(version),
      Poco::Data::Keywords::now;
  EXPECT_EQ(version, StoreSchema::currentVersion());
}

std::int64_t daysAgo(int days) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             (std::chrono::system_clock::now() - std::chrono::hours(24 * days)).time_since_epoch())
      .count();
}

TEST_P(ReportStoreTest, DeletesReportsPastTheRetentionInChunks) {
  // In the month of the cutoff: on PostgreSQL an older month's partition would be dropped
  // whole (tests/partitions), not deleted in chunks.
  const std::int64_t old = std::max(daysAgo(31), UtcMonth::of(daysAgo(30)).start());
  for (int i = 0; i < 5; ++i) put(report(kFull, "ip-a", "old-" + std::to_string(i), old));
  put(report(kFull, "ip-a", "recent", daysAgo(29)));

  std::atomic<int> expired{0};
  std::atomic<int> largestDelete{0};
  auto options = this->options();
  options.retention = std::chrono::hours(24 * 30);
  options.retentionChunk = 2;
  options.expired = [&](std::size_t reports) {
    expired += static_cast<int>(reports);
    largestDelete = std::max(largestDelete.load(), static_cast<int>(reports));
  };
  store.reset();
  store = std::make_unique<ReportStore>(options);  // the first pass runs at start
  // The writer deletes on its own schedule: wait for it, without judging its speed.
  for (int i = 0; i < 6000 && expired < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(expired, 5);
  EXPECT_EQ(largestDelete, 2);
  EXPECT_EQ(store->reportCount(), 1);
  EXPECT_EQ(put(report(kFull, "ip-a", "recent", daysAgo(0))), StoreOutcome::duplicate);
}

// Several collectors share one PostgreSQL store, each with its own retention passes: they
// must neither fail on each other's deletes nor count a report twice.
TEST_P(ReportStoreTest, TwoStoresOnOneDatabaseShareTheDeleting) {
  constexpr int kOld = 300;
  // In groups the fixture's small queue holds, each committed in a few batches.
  for (int first = 0; first < kOld; first += 10) {
    std::vector<std::future<StoreOutcome>> stored;
    for (int i = first; i < first + 10; ++i) {
      stored.push_back(
          store->submit(report(kFull, "ip-a", "old-" + std::to_string(i), daysAgo(31))));
    }
    for (auto& outcome : stored) ASSERT_EQ(outcome.get(), StoreOutcome::stored);
  }
  put(report(kFull, "ip-a", "recent", daysAgo(29)));
  store.reset();

  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  CollectorLog::get()->sinks().push_back(sink);
  std::atomic<int> expired{0};
  auto options = this->options();
  options.retention = std::chrono::hours(24 * 30);
  options.retentionChunk = 3;
  options.expired = [&](std::size_t reports) { expired += static_cast<int>(reports); };
  {
    ReportStore first(options);
    ReportStore second(options);
    for (int i = 0; i < 6000 && expired < kOld; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(first.reportCount(), 1);
  }
  CollectorLog::get()->sinks().pop_back();
  EXPECT_EQ(expired, kOld);
  EXPECT_EQ(log.str().find("failed"), std::string::npos) << log.str();
}

TEST_P(ReportStoreTest, ForgetsEveryReportOfOneInstallationBesideTheWriter) {
  put(report(kFull, "ip-a", "first", daysAgo(2)));
  put(report(kFull, "ip-b", "second", daysAgo(1)));
  put(report(kInitial, "ip-a", "", daysAgo(2)));
  InstallationEraser eraser(location->location());
  EXPECT_EQ(eraser.erase("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", daysAgo(0)), 2);
  EXPECT_EQ(store->reportCount(), 1) << "the other installation's report stays";
  EXPECT_EQ(eraser.erase("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", daysAgo(0)), 0);
  EXPECT_EQ(put(report(kFull, "ip-a", "third", daysAgo(0))), StoreOutcome::installationDeleted)
      << "the writer drops what still arrives from a forgotten installation";
  EXPECT_EQ(put(report(kInitial, "ip-a", "fourth", daysAgo(0))), StoreOutcome::duplicate)
      << "and goes on with the others";
  EXPECT_EQ(store->reportCount(), 1);
}

TEST_P(ReportStoreTest, DeletesAnInstallationOnRequestAndDropsItsLateReports) {
  put(report(kFull, "ip-a", "first", daysAgo(2)));
  put(report(kFull, "ip-b", "second", daysAgo(1)));
  put(report(kInitial, "ip-a", "", daysAgo(2)));
  EXPECT_EQ(store->submitDeletion("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", daysAgo(0)).get(),
            StoreOutcome::erased);
  EXPECT_EQ(store->reportCount(), 1) << "the other installation's report stays";
  EXPECT_EQ(put(report(kFull, "ip-a", "late", daysAgo(0))), StoreOutcome::installationDeleted);
  EXPECT_EQ(store->submitDeletion("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", daysAgo(0)).get(),
            StoreOutcome::duplicate)
      << "deleting again changes nothing and says so";
  EXPECT_EQ(store->reportCount(), 1);
  open();  // the record of the deletion is durable
  EXPECT_EQ(put(report(kFull, "ip-a", "later", daysAgo(0))), StoreOutcome::installationDeleted);
  EXPECT_EQ(store->reportCount(), 1);
}

// A report queued before the deletion is deleted with the others, one queued after it is
// dropped: the writer keeps the order of one batch.
TEST_P(ReportStoreTest, KeepsTheOrderOfReportsAndDeletionsInOneBatch) {
  std::vector<std::future<StoreOutcome>> outcomes;
  outcomes.push_back(store->submit(report(kFull, "ip-a", "before", daysAgo(0))));
  outcomes.push_back(store->submitDeletion("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", daysAgo(0)));
  outcomes.push_back(store->submit(report(kFull, "ip-a", "after", daysAgo(0))));
  EXPECT_EQ(outcomes[0].get(), StoreOutcome::stored);
  EXPECT_EQ(outcomes[1].get(), StoreOutcome::erased);
  EXPECT_EQ(outcomes[2].get(), StoreOutcome::installationDeleted);
  EXPECT_EQ(store->reportCount(), 0);
}

TEST_P(ReportStoreTest, RefusesToForgetInAStoreOfANewerSchema) {
  put(report(kFull, "ip-a", "first", daysAgo(1)));
  {
    auto session = storage::openDatabase(location->location()).session;
    *session << "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)",
        Poco::Data::Keywords::now;
  }
  try {
    InstallationEraser eraser(location->location());
    ADD_FAILURE() << "would forget with a schema it does not know";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has schema version 99, newer than this build's"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(store->reportCount(), 1);
}

TEST(InstallationEraserTest, RefusesAnSqliteStoreThatDoesNotExist) {
  const auto missing = std::filesystem::temp_directory_path() /
                       ("no-such-store-" + std::to_string(::getpid())) / "collector.db";
  try {
    InstallationEraser eraser(missing.string());
    ADD_FAILURE() << "opened a store that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "no store at " + missing.string());
  }
  EXPECT_FALSE(std::filesystem::exists(missing.parent_path())) << "and created nothing";
}

TEST_P(ReportStoreTest, KeepsEveryReportWithoutARetention) {
  put(report(kFull, "ip-a", "old", 1000));
  ASSERT_TRUE(store->writable(std::chrono::seconds(60)));  // one more turn of the writer
  EXPECT_EQ(store->reportCount(), 1);
}

using Outcomes = std::vector<StoreOutcome>;
constexpr auto kStored = StoreOutcome::stored;
constexpr auto kDuplicate = StoreOutcome::duplicate;

// Each report is decided against the ones before it in the same batch, as one by one.
TEST_P(ReportStoreTest, DecidesDuplicatesWithinOneDrainBatch) {
  const auto outcomes = putAll({
      report(kFull, "ip-a", "key-1", 1000),
      report(kFull, "ip-a", "key-1", 1000),      // the same key and payload
      report(fullOf(2), "ip-a", "key-1", 1000),  // the same key, another payload
      report(kFull, "ip-a", "", 1001),           // no key: the payload of the first, same ip
      report(fullOf(3), "ip-b", "", 1000),       // no key, new
      report(fullOf(3), "ip-b", "", 1002),       // the same digest twice
      report(fullOf(3), "ip-c", "", 1002),       // from another address
      report(kInitial, "ip-a", "key-7", 1000),   // an initial report
      report(kInitial, "ip-b", "key-8", 1000),   // the same installation's initial again
      report(fullOf(4), "ip-a", "key-9", 1000),
  });
  EXPECT_EQ(outcomes, (Outcomes{kStored, kDuplicate, StoreOutcome::keyReused, kDuplicate, kStored,
                                kDuplicate, kStored, kStored, kDuplicate, kStored}));
  EXPECT_EQ(store->reportCount(), 5);
}

TEST_P(ReportStoreTest, DecidesAgainstStoredReportsInADrainBatch) {
  put(report(kFull, "ip-a", "key-1", 1000));
  put(report(kInitial, "ip-a", "key-2", 1000));
  put(report(fullOf(5), "ip-a", "", 1000));
  put(report(fullOf(6), "ip-a", "key-6", 1000));
  ASSERT_EQ(store->submitDeletion(report(fullOf(6), "", "", 0).installation, 1500).get(),
            StoreOutcome::erased);
  auto formerAddress = report(fullOf(5), "ip-a-new-key", "", 2000);
  formerAddress.formerIpHashes = {"ip-a"};
  const auto outcomes = putAll({
      report(kFull, "ip-b", "key-1", 2000),             // a key already stored
      report(fullOf(2), "ip-b", "key-1", 2000),         // the same key with another payload
      report(kInitial, "ip-b", "key-3", 2000),          // its initial report is stored
      report(fullOf(5), "ip-a", "", 2000),              // the same payload, same address, no key
      formerAddress,                                    // ... from the address hashed the old way
      report(fullOf(5), "ip-a", "", 1000 + 25 * 3600),  // ... after the window
      report(fullOf(6), "ip-a", "key-16", 2000),        // an installation deleted on request
  });
  EXPECT_EQ(outcomes, (Outcomes{kDuplicate, StoreOutcome::keyReused, kDuplicate, kDuplicate,
                                kDuplicate, kStored, StoreOutcome::installationDeleted}));
  EXPECT_EQ(store->reportCount(), 4);
}

// The latest report (received last, then stored last) is the installation's current one.
TEST_P(ReportStoreTest, SummarizesTheLatestReportOfAnInstallationInOneDrainBatch) {
  putAll({
      report(fullOf(1, "7.16.0"), "ip-a", "key-1", 2000),
      report(fullOf(1, "7.15.0"), "ip-a", "key-2", 1000),  // late: received before the first
      report(fullOf(2, "7.15.0"), "ip-a", "key-3", 3000),
      report(fullOf(2, "7.17.0"), "ip-a", "key-4", 3000),  // the same time: stored last wins
  });
  const auto stats = store->stats();
  EXPECT_EQ(stats.installations, 2);
  EXPECT_EQ(stats.reports, 4);
  EXPECT_EQ(stats.versions, (CollectorStats::Distribution{{"7.16.0", 1}, {"7.17.0", 1}}));
}

// A JSON string may carry \u0000, which PostgreSQL's text cannot hold: both stores keep the
// value up to it, in a drain batch and alone, and the summaries count what is stored (the
// batch's upsert of counts would otherwise meet one key twice and fail).
TEST_P(ReportStoreTest, KeepsAFigureUpToItsNulInADrainBatchAndAlone) {
  putAll({report(fullOf(1, "7.14\\u0000.0"), "ip-a", "key-1", 1000)});
  EXPECT_EQ(put(report(fullOf(2, "7.14\\u0000.0"), "ip-a", "key-2", 1000)), kStored);
  const auto outcomes = putAll({report(fullOf(1, "7.14\\u0000.1"), "ip-a", "key-3", 2000),
                                report(fullOf(3, "7.14"), "ip-a", "key-4", 2000)});
  EXPECT_EQ(outcomes, (Outcomes{kStored, kStored}));
  EXPECT_EQ(store->reportCount(), 4);
  EXPECT_EQ(store->stats().versions, (CollectorStats::Distribution{{"7.14", 3}}));
}

// More rows than one PostgreSQL statement could bind through Poco and libpq before the
// batch's lists became arrays and its reports a COPY (7,000 parameters; one statement of
// 8,300 reports failed with "lost synchronization with server"); replayed, nothing is
// stored twice.
TEST_P(ReportStoreTest, StoresADrainBatchLargerThanOneStatementBinds) {
  constexpr int kReports = 8300;
  std::vector<ReceivedReport> reports;
  for (int i = 0; i < kReports; ++i) {
    reports.push_back(report(fullOf(i), "ip-a", "key-" + std::to_string(i), 1000 + i % 7));
  }
  const auto outcomes = putAll(reports);
  EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), kStored), kReports);
  const auto replayed = putAll(reports);
  EXPECT_EQ(std::count(replayed.begin(), replayed.end(), kDuplicate), kReports);
  EXPECT_EQ(store->reportCount(), kReports);
  const auto stats = store->stats();
  EXPECT_EQ(stats.installations, kReports);
  EXPECT_EQ(stats.reports, kReports);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace telemetry::collector
