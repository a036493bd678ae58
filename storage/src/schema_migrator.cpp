#include "telemetry/storage/schema_migrator.hpp"

#include <chrono>
#include <stdexcept>

#include "telemetry/storage/write_transaction.hpp"

namespace telemetry::storage {

using namespace Poco::Data::Keywords;

SchemaMigrator::SchemaMigrator(std::string owner, std::vector<Migration> migrations)
    : owner_(std::move(owner)), migrations_(std::move(migrations)) {}

int SchemaMigrator::requireKnownVersion(Poco::Data::Session& session) const {
  int applied = 0;
  session << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(applied), now;
  if (applied > currentVersion()) {
    throw std::runtime_error("the " + owner_ + " has schema version " + std::to_string(applied) +
                             ", newer than this build's " + std::to_string(currentVersion()) +
                             "; upgrade this program or use another store");
  }
  return applied;
}

void SchemaMigrator::migrate(Poco::Data::Session& session, const SqlDialect& dialect,
                             const std::function<void(int)>& thenInTransaction) const {
  WriteTransaction transaction(session, dialect);
  session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
      now;
  const int applied = requireKnownVersion(session);
  const auto at = static_cast<Poco::Int64>(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count());
  for (int version = applied + 1; version <= currentVersion(); ++version) {
    for (const auto& statement : migrations_[static_cast<std::size_t>(version - 1)](dialect)) {
      session << statement, now;
    }
    session << dialect.sql("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"),
        bind(version), bind(at), now;
  }
  if (thenInTransaction) thenInTransaction(applied);
  transaction.commit();
}

}  // namespace telemetry::storage
