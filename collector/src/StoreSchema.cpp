#include "StoreSchema.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace telemetry::collector {
namespace {

using namespace Poco::Data::Keywords;

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

const std::vector<std::function<std::vector<std::string>(const SqlDialect&)>> kMigrations{
    migrationOne};

}  // namespace

int StoreSchema::currentVersion() { return static_cast<int>(kMigrations.size()); }

void StoreSchema::migrate(Poco::Data::Session& session, const SqlDialect& dialect) {
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
      now;
  int applied = 0;
  Poco::Data::Statement select(session);
  select << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", now;
  Poco::Data::RecordSet result(select);
  if (result.moveFirst()) applied = result.value(0).convert<int>();
  if (applied > currentVersion()) {
    throw std::runtime_error("the store has schema version " + std::to_string(applied) +
                             ", newer than this collector's " + std::to_string(currentVersion()));
  }
  for (int version = applied + 1; version <= currentVersion(); ++version) {
    session.begin();
    try {
      for (const auto& statement : kMigrations[static_cast<std::size_t>(version - 1)](dialect)) {
        session << statement, now;
      }
      auto at = static_cast<Poco::Int64>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
      session << dialect.sql("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
          bind(version), bind(at), now;
      session.commit();
    } catch (...) {
      session.rollback();
      throw;
    }
  }
}

}  // namespace telemetry::collector
