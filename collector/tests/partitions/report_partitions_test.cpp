// The PostgreSQL store partitioned by month, end to end on the `postgres` fixture's server:
// through ReportStore and InstallationEraser, checked in PostgreSQL's catalog.
#include "partitions/report_partitions.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <sstream>
#include <thread>
#include <vector>

#include "config/collector_log.hpp"
#include "store/installation_eraser.hpp"
#include "store/report_queries.hpp"
#include "store/report_store.hpp"
#include "store/store_schema.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/store_location.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

using namespace Poco::Data::Keywords;

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using test::kDay;

ReceivedReport made(const std::string& installation, const std::string& key, std::int64_t at,
                    bool initial = false) {
  ReceivedReport r;
  r.installation = installation;
  r.initial = initial;
  r.idempotencyKey = key;
  r.ipHash = "ip";
  r.payloadDigest = "digest-" + installation + "-" + key + "-" + std::to_string(at);
  r.payload = "{\"installation\":\"" + installation + "\",\"at\":" + std::to_string(at) + "}";
  r.productVersion = "7.14.0";
  r.edition = "community";
  r.telemetryEnabled = true;
  r.receivedAt = at;
  return r;
}

class PartitionedStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("partitioned-store-test-" + std::to_string(::getpid()));
  telemetry::test::StoreLocation location{"postgres", dir};
  std::unique_ptr<ReportStore> store;
  const UtcMonth current = UtcMonth::of(nowSeconds());

  void open(ReportStore::Options options = {}) {
    store.reset();
    options.location = location.location();
    store = std::make_unique<ReportStore>(std::move(options));
  }
  StoreOutcome put(const ReceivedReport& r) { return store->submit(r).get(); }

  std::unique_ptr<Poco::Data::Session> session() {
    return storage::openDatabase(location.location()).session;
  }
  std::int64_t count(const std::string& sql) {
    auto s = session();
    Poco::Data::Statement select(*s);
    select << sql, now;
    Poco::Data::RecordSet rows(select);
    return rows.moveFirst() ? rows.value(0).convert<std::int64_t>() : -1;
  }
  std::vector<std::string> strings(const std::string& sql) {
    auto s = session();
    Poco::Data::Statement select(*s);
    select << sql, now;
    Poco::Data::RecordSet rows(select);
    std::vector<std::string> out;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      std::string row;
      for (std::size_t i = 0; i < rows.columnCount(); ++i) {
        row += (i > 0 ? "|" : "") + rows.value(i).toString();
      }
      out.push_back(row);
    }
    return out;
  }
  // The partitions of reports in PostgreSQL's catalog, by name.
  std::vector<std::string> partitions() {
    auto names = strings(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'reports'::regclass");
    std::sort(names.begin(), names.end());
    return names;
  }
  bool hasPartition(UtcMonth month) {
    const auto names = partitions();
    return std::find(names.begin(), names.end(), ReportPartitions::nameOf(month)) != names.end();
  }
  std::int64_t tablesNamed(const std::string& name) {
    return count("SELECT COUNT(*) FROM pg_class WHERE relname = '" + name + "'");
  }
};

TEST_F(PartitionedStoreTest, ANewStoreHasTheComingMonthsAndADefaultPartition) {
  open();
  EXPECT_EQ(count("SELECT COUNT(*) FROM pg_class WHERE relname = 'reports' AND relkind = 'p'"), 1)
      << "reports is a partitioned table";
  for (int ahead = 0; ahead <= ReportPartitions::kMonthsAhead; ++ahead) {
    EXPECT_TRUE(hasPartition(current.plus(ahead))) << ReportPartitions::nameOf(current.plus(ahead));
  }
  EXPECT_FALSE(hasPartition(current.plus(ReportPartitions::kMonthsAhead + 1)));
  const auto names = partitions();
  EXPECT_NE(std::find(names.begin(), names.end(), "reports_default"), names.end());
}

TEST_F(PartitionedStoreTest, StoresReportsOfThreeMonthsEachInThePartitionOfItsMonth) {
  open();
  const std::vector<std::int64_t> times = {current.plus(-2).start() + kDay,
                                           current.plus(-1).start() + kDay, nowSeconds()};
  for (std::size_t i = 0; i < times.size(); ++i) {
    ASSERT_EQ(put(made("i-" + std::to_string(i), "k-" + std::to_string(i), times[i])),
              StoreOutcome::stored);
  }
  // Months the store had no partition for: kept in the default one, never refused...
  EXPECT_EQ(count("SELECT COUNT(*) FROM reports_default"), 2);
  open();  // ...and sorted into partitions of their own at the next start.
  EXPECT_EQ(count("SELECT COUNT(*) FROM reports_default"), 0);
  for (int back = 0; back <= 2; ++back) {
    const auto name = ReportPartitions::nameOf(current.plus(-back));
    EXPECT_EQ(count("SELECT COUNT(*) FROM " + name), 1) << name;
  }
  EXPECT_EQ(store->reportCount(), 3);
  EXPECT_EQ(store->stats().installations, 3);
}

TEST_F(PartitionedStoreTest, NeverRefusesAReportForLackOfAPartition) {
  open();
  const std::int64_t farFuture = 4102444800;  // 2100-01-01
  const std::int64_t beforeEpoch = -86400 * 365;
  EXPECT_EQ(put(made("future", "k-future", farFuture)), StoreOutcome::stored);
  EXPECT_EQ(put(made("past", "k-past", beforeEpoch)), StoreOutcome::stored);
  EXPECT_EQ(put(made("epoch", "k-epoch", 0)), StoreOutcome::stored);
  open();
  EXPECT_EQ(store->reportCount(), 3);
  EXPECT_FALSE(hasPartition(UtcMonth::of(farFuture))) << "its month comes in its time";
  EXPECT_TRUE(hasPartition(UtcMonth::of(0)));
  EXPECT_EQ(count("SELECT COUNT(*) FROM reports_default"), 2);
  EXPECT_EQ(put(made("future", "k-future", farFuture)), StoreOutcome::duplicate);
}

TEST_F(PartitionedStoreTest, RetentionDropsWholePartitionsAndDeletesTheBoundaryMonthsReports) {
  open();
  const std::int64_t cutoff = current.plus(-2).start() + 10 * kDay;
  ASSERT_EQ(put(made("a", "k-a", current.plus(-4).start() + kDay, true)), StoreOutcome::stored);
  ASSERT_EQ(put(made("b", "k-b", current.plus(-3).start() + kDay)), StoreOutcome::stored);
  ASSERT_EQ(put(made("c", "k-c", current.plus(-2).start() + kDay, true)), StoreOutcome::stored);
  ASSERT_EQ(put(made("d", "k-d", current.plus(-2).start() + 20 * kDay)), StoreOutcome::stored);
  ASSERT_EQ(put(made("e", "k-e", current.plus(-1).start() + kDay, true)), StoreOutcome::stored);
  ASSERT_EQ(put(made("f", "k-f", nowSeconds())), StoreOutcome::stored);
  open();  // sorts them into their months
  for (int back = 0; back <= 4; ++back) ASSERT_TRUE(hasPartition(current.plus(-back)));

  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  CollectorLog::get()->sinks().push_back(sink);
  std::atomic<int> expired{0};
  ReportStore::Options options;
  options.retention = std::chrono::seconds(nowSeconds() - cutoff);
  options.retentionChunk = 1000;
  options.expired = [&](std::size_t reports) { expired += static_cast<int>(reports); };
  open(options);  // the first pass runs at start
  // The writer deletes on its own schedule: wait for it, without judging its speed.
  for (int i = 0; i < 6000 && expired < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(store->writable(std::chrono::seconds(60)));  // the pass has ended
  CollectorLog::get()->sinks().pop_back();
  EXPECT_EQ(expired, 3);

  for (int back : {4, 3}) {
    const auto name = ReportPartitions::nameOf(current.plus(-back));
    EXPECT_FALSE(hasPartition(current.plus(-back))) << name;
    EXPECT_EQ(tablesNamed(name), 0) << name << " is dropped, not only detached";
  }
  EXPECT_TRUE(hasPartition(current.plus(-2))) << "the boundary month stays";
  EXPECT_NE(log.str().find("retention: dropped partition(s) " +
                           ReportPartitions::nameOf(current.plus(-4)) + ", " +
                           ReportPartitions::nameOf(current.plus(-3)) + " (2 report(s))"),
            std::string::npos)
      << log.str();
  EXPECT_EQ(strings("SELECT installation FROM reports ORDER BY received_at"),
            (std::vector<std::string>{"d", "e", "f"}));
  const auto stats = store->stats();
  EXPECT_EQ(stats.reports, 3);
  EXPECT_EQ(stats.installations, 3);
  EXPECT_EQ(stats.optedIn, 3);
  // What was kept about the expired reports went with them.
  EXPECT_EQ(strings("SELECT idempotency_key FROM report_keys ORDER BY idempotency_key"),
            (std::vector<std::string>{"k-d", "k-e", "k-f"}));
  EXPECT_EQ(strings("SELECT installation FROM initial_reports"), (std::vector<std::string>{"e"}));
  EXPECT_EQ(put(made("c", "k-c", nowSeconds(), true)), StoreOutcome::stored)
      << "an expired report's key and initial report are free again, as on SQLite";
  EXPECT_EQ(put(made("e", "k-e2", nowSeconds(), true)), StoreOutcome::duplicate);
}

// Several collectors on one store: the claims' primary keys refuse a second report with the
// same key or a second initial report, whichever writer comes second.
TEST_F(PartitionedStoreTest, DuplicatesStayImpossibleAcrossTwoWriters) {
  open();
  ReportStore::Options options;
  options.location = location.location();
  ReportStore other(options);
  std::vector<std::future<StoreOutcome>> keyed, initial;
  for (int i = 0; i < 10; ++i) {
    auto& writer = i % 2 == 0 ? *store : other;
    auto withKey = made("i-keyed", "shared-key", nowSeconds());
    withKey.payloadDigest = "same";
    keyed.push_back(writer.submit(withKey));
    initial.push_back(writer.submit(made("i-initial", "", nowSeconds() + i, true)));
  }
  int storedKeyed = 0, storedInitial = 0;
  for (auto& outcome : keyed) storedKeyed += outcome.get() == StoreOutcome::stored ? 1 : 0;
  for (auto& outcome : initial) storedInitial += outcome.get() == StoreOutcome::stored ? 1 : 0;
  EXPECT_EQ(storedKeyed, 1);
  EXPECT_EQ(storedInitial, 1);
  EXPECT_EQ(store->reportCount(), 2);

  // And without the writers' lock and checks, the database itself refuses them.
  auto s = session();
  const auto at = std::to_string(nowSeconds());
  EXPECT_THROW(
      (*s << "INSERT INTO report_keys VALUES ('shared-key', 'other', 'x', " + at + ")", now),
      Poco::Exception);
  EXPECT_THROW((*s << "INSERT INTO initial_reports VALUES ('i-initial', " + at + ")", now),
               Poco::Exception);
}

TEST_F(PartitionedStoreTest, ForgetsEveryReportAndClaimOfAnInstallationInEveryMonth) {
  open();
  put(made("gone", "k-1", current.plus(-1).start() + kDay, true));
  put(made("gone", "k-2", nowSeconds()));
  put(made("kept", "k-3", nowSeconds(), true));
  open();
  ASSERT_TRUE(hasPartition(current.plus(-1)));
  EXPECT_EQ(InstallationEraser(location.location()).erase("gone", nowSeconds()), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM reports WHERE installation = 'gone'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM report_keys WHERE installation = 'gone'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM initial_reports WHERE installation = 'gone'"), 0);
  put(made("kept2", "k-4", nowSeconds(), true));
  EXPECT_EQ(store->submitDeletion("kept2", nowSeconds()).get(), StoreOutcome::erased);
  EXPECT_EQ(count("SELECT COUNT(*) FROM report_keys WHERE installation = 'kept2'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM initial_reports WHERE installation = 'kept2'"), 0);
  EXPECT_EQ(strings("SELECT installation FROM reports"), (std::vector<std::string>{"kept"}));
}

// The checks run once per report: each must be answered from an index, and the window's
// from the recent partitions only. Plans of tiny tables prefer scans; a missing index would
// leave the planner nothing else, so scans are made the last resort.
TEST_F(PartitionedStoreTest, AnswersTheDuplicateChecksFromIndexes) {
  open();
  put(made("old", "k-old", current.plus(-3).start() + kDay));
  open();
  ASSERT_TRUE(hasPartition(current.plus(-3)));
  const std::string since = std::to_string(nowSeconds() - kDay);
  const std::vector<std::pair<std::string, std::string>> checks = {
      {ClaimQueries::kSameIdempotencyKey, "'k'"},
      {ClaimQueries::kSameIdempotencyKeyAndPayload, "'k'|'d'"},
      {ClaimQueries::kInitialAlreadyStored, "'i'"},
      {ReportQueries::kSamePayloadInWindow, "'i'|'d'|'ip'|" + since},
      {ReportQueries::kInstallationDeleted, "'i'"},
  };
  auto s = session();
  *s << "SET enable_seqscan = off", now;
  for (const auto& [query, values] : checks) {
    std::string sql = query;
    std::istringstream each(values);
    for (std::string value; std::getline(each, value, '|');) {
      sql.replace(sql.find('?'), 1, value);
    }
    Poco::Data::Statement explain(*s);
    explain << "EXPLAIN (COSTS OFF) " + sql, now;
    Poco::Data::RecordSet rows(explain);
    std::string plan;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      plan += rows.value(0).toString() + "\n";
    }
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << sql << "\n" << plan;
    EXPECT_NE(plan.find("Index"), std::string::npos) << sql << "\n" << plan;
    EXPECT_EQ(plan.find(ReportPartitions::nameOf(current.plus(-3))), std::string::npos)
        << "partitions outside the window are not searched: " << sql << "\n"
        << plan;
  }
}

// A store written before partitioning (schema version 3), as the previous release left it.
TEST_F(PartitionedStoreTest, MigratesAnUnpartitionedStoreKeepingEveryReport) {
  {
    auto s = session();
    for (const char* statement : {
             "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT "
             "NULL)",
             "INSERT INTO schema_migrations VALUES (1, 0), (2, 0), (3, 0)",
             "CREATE TABLE reports (id BIGSERIAL PRIMARY KEY, received_at BIGINT NOT NULL,"
             " installation TEXT NOT NULL, kind TEXT NOT NULL, ip_hash TEXT NOT NULL,"
             " payload_digest TEXT NOT NULL, idempotency_key TEXT NOT NULL DEFAULT '',"
             " product_version TEXT NOT NULL DEFAULT '', edition TEXT NOT NULL DEFAULT '',"
             " telemetry_enabled INTEGER NOT NULL DEFAULT 0,"
             " database_vendor TEXT NOT NULL DEFAULT '', app_server_vendor TEXT NOT NULL DEFAULT "
             "'',"
             " jdk TEXT NOT NULL DEFAULT '', integrations TEXT NOT NULL DEFAULT '',"
             " webapps TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL)",
             "CREATE UNIQUE INDEX reports_idempotency_key ON reports (idempotency_key)"
             " WHERE idempotency_key <> ''",
             "CREATE UNIQUE INDEX reports_initial_once ON reports (installation)"
             " WHERE kind = 'initial'",
             "CREATE INDEX reports_received_at ON reports (received_at)",
             "CREATE TABLE store_health (id INTEGER PRIMARY KEY, checked_at BIGINT NOT NULL)",
             "INSERT INTO store_health (id, checked_at) VALUES (1, 0)",
             "CREATE INDEX reports_installation ON reports"
             " (installation, kind, telemetry_enabled, received_at)",
             "CREATE TABLE deleted_installations (installation TEXT PRIMARY KEY,"
             " deleted_at BIGINT NOT NULL)",
         }) {
      *s << statement, now;
    }
    for (int i = 0; i < 30; ++i) {
      const auto at = std::to_string(current.plus(-(i % 3)).start() + kDay + i);
      const std::string kind = i < 3 ? "initial" : "full";
      const std::string key = i % 2 == 0 ? "'key-" + std::to_string(i) + "'" : "''";
      *s << "INSERT INTO reports (received_at, installation, kind, ip_hash, payload_digest,"
            " idempotency_key, product_version, telemetry_enabled, payload) VALUES (" +
                at + ", 'inst-" + std::to_string(i % 10) + "', '" + kind + "', 'ip', 'digest-" +
                std::to_string(i) + "', " + key + ", '7.1" + std::to_string(i % 3) +
                ".0', 1, '{\"n\":" + std::to_string(i) + "}')",
          now;
    }
  }
  const std::string everything =
      "SELECT id, received_at, installation, kind, payload_digest, idempotency_key,"
      " product_version, payload FROM reports ORDER BY id";
  const auto before = strings(everything);
  ASSERT_EQ(before.size(), 30u);

  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  CollectorLog::get()->sinks().push_back(sink);
  open();
  CollectorLog::get()->sinks().pop_back();

  EXPECT_EQ(strings(everything), before) << "every report, ids included";
  EXPECT_EQ(count("SELECT COUNT(*) FROM pg_class WHERE relname = 'reports' AND relkind = 'p'"), 1);
  for (int back = 0; back <= 2; ++back) {
    EXPECT_EQ(count("SELECT COUNT(*) FROM " + ReportPartitions::nameOf(current.plus(-back))), 10);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM reports_default"), 0);
  EXPECT_EQ(count("SELECT MAX(version) FROM schema_migrations"), StoreSchema::currentVersion());
  EXPECT_NE(log.str().find("sorting 30 report(s) into monthly partitions"), std::string::npos)
      << log.str();
  EXPECT_EQ(count("SELECT COUNT(*) FROM report_keys"), 15);
  EXPECT_EQ(count("SELECT COUNT(*) FROM initial_reports"), 3);

  // The duplicate checks know the migrated reports.
  auto again = made("inst-0", "key-0", nowSeconds());
  EXPECT_EQ(put(again), StoreOutcome::keyReused) << "key-0 came with another payload";
  EXPECT_EQ(put(made("inst-1", "", nowSeconds(), true)), StoreOutcome::duplicate);
  auto fresh = made("inst-new", "key-new", nowSeconds());
  EXPECT_EQ(put(fresh), StoreOutcome::stored);
  EXPECT_EQ(count("SELECT COUNT(*) FROM reports WHERE id > 30 AND installation = 'inst-new'"), 1)
      << "ids go on from the old table's sequence";
  open();  // a second start finds nothing to do
  EXPECT_EQ(store->reportCount(), 31);
}

}  // namespace
}  // namespace telemetry::collector
