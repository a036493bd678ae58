#include "store/store_schema.hpp"

#include "telemetry/storage/schema_migrator.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "config/collector_log.hpp"
#include "partitions/report_partitions.hpp"
#include "sql/poco_sql_runner.hpp"
#include "summary/summary_rebuilder.hpp"

namespace telemetry::collector {
namespace {

std::vector<std::string> migrationOne(const SqlDialect& dialect) {
  return {
      "CREATE TABLE reports ("
      " id " +
          dialect.autoIncrementKey() +
          ","
          " received_at BIGINT NOT NULL,"
          " installation TEXT NOT NULL,"
          " kind TEXT NOT NULL,"
          " ip_hash TEXT NOT NULL,"
          " payload_digest TEXT NOT NULL,"
          " idempotency_key TEXT NOT NULL DEFAULT '',"
          " product_version TEXT NOT NULL DEFAULT '',"
          " edition TEXT NOT NULL DEFAULT '',"
          " telemetry_enabled INTEGER NOT NULL DEFAULT 0,"
          " database_vendor TEXT NOT NULL DEFAULT '',"
          " app_server_vendor TEXT NOT NULL DEFAULT '',"
          " jdk TEXT NOT NULL DEFAULT '',"
          " integrations TEXT NOT NULL DEFAULT '',"
          " webapps TEXT NOT NULL DEFAULT '',"
          " payload TEXT NOT NULL)",
      // The unique indexes make duplicates impossible even with several collectors on one store.
      "CREATE UNIQUE INDEX reports_idempotency_key ON reports (idempotency_key)"
      " WHERE idempotency_key <> ''",
      "CREATE UNIQUE INDEX reports_initial_once ON reports (installation) WHERE kind = 'initial'",
      "CREATE INDEX reports_dedup ON reports (installation, payload_digest, ip_hash, received_at)",
      "CREATE INDEX reports_received_at ON reports (received_at)",
      "CREATE TABLE store_health (id INTEGER PRIMARY KEY, checked_at BIGINT NOT NULL)",
      "INSERT INTO store_health (id, checked_at) VALUES (1, 0)",
  };
}

// The dashboard counts installations by kind and opt-in; with these columns in one index
// it reads the index instead of every report (ten times faster at 270,000 reports). The
// same index serves the duplicate check, so the wide one it replaces goes.
std::vector<std::string> migrationTwo(const SqlDialect&) {
  return {
      "DROP INDEX reports_dedup",
      "CREATE INDEX reports_installation ON reports"
      " (installation, kind, telemetry_enabled, received_at)",
  };
}

// Installations deleted on request (POST /deletions, `forget`): only the id and when, so
// that reports still on their way from it are dropped instead of stored again.
std::vector<std::string> migrationThree(const SqlDialect&) {
  return {
      "CREATE TABLE deleted_installations ("
      " installation TEXT PRIMARY KEY,"
      " deleted_at BIGINT NOT NULL)",
  };
}

// PostgreSQL at scale: reports partitioned by UTC month, so that retention drops a month
// instead of deleting its rows. The table becomes the DEFAULT partition of a new partitioned
// one as it is (no copy here); StoreSchema::migrate then sorts its reports into monthly
// partitions in the same transaction. A unique index on a partitioned table must include
// the partition key, so the two that made duplicates impossible across collectors move to
// small unpartitioned tables the writer fills in the same transaction as the report.
// SQLite keeps its one table.
std::vector<std::string> migrationFour(const SqlDialect& dialect) {
  if (!dialect.isPostgres()) return {};
  return {
      "ALTER TABLE reports RENAME TO reports_default",
      "ALTER TABLE reports_default DROP CONSTRAINT reports_pkey",
      "DROP INDEX reports_idempotency_key",
      "DROP INDEX reports_initial_once",
      "ALTER INDEX reports_installation RENAME TO reports_default_installation",
      "ALTER INDEX reports_received_at RENAME TO reports_default_received_at",
      "CREATE TABLE reports ("
      " id BIGINT NOT NULL DEFAULT nextval('reports_id_seq'),"
      " received_at BIGINT NOT NULL,"
      " installation TEXT NOT NULL,"
      " kind TEXT NOT NULL,"
      " ip_hash TEXT NOT NULL,"
      " payload_digest TEXT NOT NULL,"
      " idempotency_key TEXT NOT NULL DEFAULT '',"
      " product_version TEXT NOT NULL DEFAULT '',"
      " edition TEXT NOT NULL DEFAULT '',"
      " telemetry_enabled INTEGER NOT NULL DEFAULT 0,"
      " database_vendor TEXT NOT NULL DEFAULT '',"
      " app_server_vendor TEXT NOT NULL DEFAULT '',"
      " jdk TEXT NOT NULL DEFAULT '',"
      " integrations TEXT NOT NULL DEFAULT '',"
      " webapps TEXT NOT NULL DEFAULT '',"
      " payload TEXT NOT NULL,"
      " PRIMARY KEY (id, received_at))"
      " PARTITION BY RANGE (received_at)",
      // Owned by the old table, the sequence would go with the default partition.
      "ALTER SEQUENCE reports_id_seq OWNED BY reports.id",
      "ALTER TABLE reports ATTACH PARTITION reports_default DEFAULT",
      // The old table's indexes match these and are attached, not built again.
      "CREATE INDEX reports_installation ON reports"
      " (installation, kind, telemetry_enabled, received_at)",
      "CREATE INDEX reports_received_at ON reports (received_at)",
      // One row per stored report with a key: the key's primary key refuses a second one.
      "CREATE TABLE report_keys ("
      " idempotency_key TEXT PRIMARY KEY,"
      " payload_digest TEXT NOT NULL,"
      " installation TEXT NOT NULL,"
      " received_at BIGINT NOT NULL)",
      "CREATE INDEX report_keys_installation ON report_keys (installation)",
      "CREATE INDEX report_keys_received_at ON report_keys (received_at)",
      "INSERT INTO report_keys (idempotency_key, payload_digest, installation, received_at)"
      " SELECT idempotency_key, payload_digest, installation, received_at FROM reports"
      " WHERE idempotency_key <> ''",
      // One row per installation whose initial report is stored.
      "CREATE TABLE initial_reports ("
      " installation TEXT PRIMARY KEY,"
      " received_at BIGINT NOT NULL)",
      "CREATE INDEX initial_reports_received_at ON initial_reports (received_at)",
      "INSERT INTO initial_reports (installation, received_at)"
      " SELECT installation, received_at FROM reports WHERE kind = 'initial'",
  };
}

// The dashboard's summaries (docs/collector.md, "Summaries"): kept by the store's writer in
// the transaction of each report, so the dashboard reads no report. An existing store gets
// them built from its reports right after (StoreSchema::migrate).
std::vector<std::string> migrationFive(const SqlDialect&) {
  return {
      "CREATE TABLE installations ("
      " installation TEXT PRIMARY KEY,"
      " version TEXT NOT NULL,"
      " edition TEXT NOT NULL,"
      " opted_in INTEGER NOT NULL,"
      " first_seen BIGINT NOT NULL,"
      " last_seen BIGINT NOT NULL,"
      " has_full INTEGER NOT NULL,"
      " last_full_at BIGINT NOT NULL,"
      " database_vendor TEXT NOT NULL,"
      " app_server TEXT NOT NULL,"
      " jdk TEXT NOT NULL,"
      " integrations TEXT NOT NULL,"
      " webapps TEXT NOT NULL)",
      "CREATE TABLE current_counts ("
      " version TEXT NOT NULL,"
      " edition TEXT NOT NULL,"
      " dimension TEXT NOT NULL,"
      " value TEXT NOT NULL,"
      " installations BIGINT NOT NULL,"
      " PRIMARY KEY (version, edition, dimension, value))",
      "CREATE TABLE daily_activity ("
      " day BIGINT NOT NULL,"
      " installation TEXT NOT NULL,"
      " version TEXT NOT NULL,"
      " edition TEXT NOT NULL,"
      " database_vendor TEXT NOT NULL,"
      " opted_in INTEGER NOT NULL,"
      " first_day INTEGER NOT NULL,"
      " last_at BIGINT NOT NULL,"
      " PRIMARY KEY (day, installation))",
      "CREATE TABLE daily_counts ("
      " day BIGINT NOT NULL,"
      " version TEXT NOT NULL,"
      " edition TEXT NOT NULL,"
      " dimension TEXT NOT NULL,"
      " value TEXT NOT NULL,"
      " installations BIGINT NOT NULL,"
      " PRIMARY KEY (day, version, edition, dimension, value))",
      "CREATE TABLE daily_reports ("
      " day BIGINT NOT NULL,"
      " version TEXT NOT NULL,"
      " edition TEXT NOT NULL,"
      " reports BIGINT NOT NULL,"
      " PRIMARY KEY (day, version, edition))",
  };
}

// The summaries summed over every version and edition (docs/collector.md, "Summaries"): the
// unfiltered dashboard reads days x shown values instead of days x versions x editions x
// values. Tables of their own rather than rows under a reserved version in the per-version
// tables: those are keyed by day first, so the summed rows would sit among the others and a
// request would still walk every row of its days. A store with per-version summaries gets
// these built from them right after (StoreSchema::migrate).
std::vector<std::string> migrationSix(const SqlDialect&) {
  return {
      "CREATE TABLE current_totals ("
      " dimension TEXT NOT NULL,"
      " value TEXT NOT NULL,"
      " installations BIGINT NOT NULL,"
      " PRIMARY KEY (dimension, value))",
      "CREATE TABLE daily_totals ("
      " day BIGINT NOT NULL,"
      " dimension TEXT NOT NULL,"
      " value TEXT NOT NULL,"
      " installations BIGINT NOT NULL,"
      " PRIMARY KEY (day, dimension, value))",
      "CREATE TABLE daily_report_totals ("
      " day BIGINT PRIMARY KEY,"
      " reports BIGINT NOT NULL)",
  };
}

constexpr int kSummariesVersion = 5;
constexpr int kTotalsVersion = 6;

const storage::SchemaMigrator& migrator() {
  static const storage::SchemaMigrator instance(
      "collector store",
      {migrationOne, migrationTwo, migrationThree, migrationFour, migrationFive, migrationSix});
  return instance;
}

}  // namespace

int StoreSchema::currentVersion() { return migrator().currentVersion(); }

void StoreSchema::migrate(Poco::Data::Session& session, const SqlDialect& dialect) {
  if (dialect.isPostgres()) {
    // Said before it starts: the migration holds the write lock for as long as it copies.
    int found = 0;
    try {
      found = migrator().requireKnownVersion(session);
    } catch (const std::exception&) {
      // A new store, or one too new: migrate() says which.
    }
    if (found > 0 && found < 4) {
      CollectorLog::get()->info(
          "store: partitioning the reports table by month, once; it takes about as long as "
          "copying the table, and other collectors of this store wait for it");
    }
  }
  migrator().migrate(session, dialect, [&](int found) {
    if (dialect.isPostgres()) {
      // Under the migration's lock and in its transaction: every report keeps its place.
      const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
      ReportPartitions(session).arrange(at);
    }
    // A store with reports but no summaries yet: built in the migration's transaction, so
    // no collector ever sees the one without the other.
    if (found == 0 || found >= kTotalsVersion) return;
    PocoSqlRunner runner(session, dialect);
    const auto tell = [](const std::string& step) {
      CollectorLog::get()->info("summaries: {}", step);
    };
    if (found >= kSummariesVersion) {
      // Summed from the per-version summaries: no report is read.
      CollectorLog::get()->info("summing the dashboard's summaries over versions and editions");
      SummaryRebuilder::rebuildTotals(runner, tell);
      return;
    }
    CollectorLog::get()->info("building the dashboard's summaries from the stored reports");
    SummaryRebuilder::rebuild(runner, tell);
  });
}

void StoreSchema::requireKnownVersion(Poco::Data::Session& session) {
  migrator().requireKnownVersion(session);
}

}  // namespace telemetry::collector
