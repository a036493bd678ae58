#include "store/store_schema.hpp"

#include "telemetry/storage/schema_migrator.hpp"

#include "config/collector_log.hpp"
#include "summary/poco_sql_runner.hpp"
#include "summary/summary_rebuilder.hpp"

#include <string>
#include <vector>

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

// The dashboard's summaries (docs/collector.md, "Summaries"): kept by the store's writer in
// the transaction of each report, so the dashboard reads no report. An existing store gets
// them built from its reports right after (StoreSchema::migrate).
std::vector<std::string> migrationFour(const SqlDialect&) {
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

constexpr int kSummariesVersion = 4;

const storage::SchemaMigrator& migrator() {
  static const storage::SchemaMigrator instance(
      "collector store", {migrationOne, migrationTwo, migrationThree, migrationFour});
  return instance;
}

}  // namespace

int StoreSchema::currentVersion() { return migrator().currentVersion(); }

void StoreSchema::migrate(Poco::Data::Session& session, const SqlDialect& dialect) {
  migrator().migrate(session, dialect, [&](int found) {
    // A store with reports but no summaries yet: built in the migration's transaction, so
    // no collector ever sees the one without the other.
    if (found == 0 || found >= kSummariesVersion) return;
    CollectorLog::get()->info("building the dashboard's summaries from the stored reports");
    PocoSqlRunner runner(session, dialect);
    SummaryRebuilder::rebuild(
        runner, [](const std::string& step) { CollectorLog::get()->info("summaries: {}", step); });
  });
}

void StoreSchema::requireKnownVersion(Poco::Data::Session& session) {
  migrator().requireKnownVersion(session);
}

}  // namespace telemetry::collector
