#include "store/installation_eraser.hpp"

#include <Poco/Data/Statement.h>

#include <filesystem>
#include <stdexcept>

#include "sql/poco_sql_runner.hpp"
#include "store/poco_report_writer.hpp"
#include "store/store_schema.hpp"
#include "summary/summary_writer.hpp"

namespace telemetry::collector {
namespace {

storage::Database openExisting(const std::string& location) {
  // Opening a missing SQLite file would create an empty store: a mistyped path must not
  // look like "nothing to forget".
  if (!storage::isPostgresUrl(location) && !std::filesystem::exists(location)) {
    throw std::runtime_error("no store at " + location);
  }
  return storage::openDatabase(location);
}

// A newer collector may keep installation data in tables this build does not know: deleting
// only the reports would claim a forgetting that did not happen.
void requireKnownSchema(Poco::Data::Session& session, const std::string& location) {
  try {
    StoreSchema::requireKnownVersion(session);
  } catch (const Poco::Exception&) {
    throw std::runtime_error(storage::redactedLocation(location) +
                             " is not a collector store (it has no schema_migrations table)");
  }
}

}  // namespace

InstallationEraser::InstallationEraser(const std::string& location)
    : database_(openExisting(location)) {
  requireKnownSchema(*database_.session, location);
  // An older store gets the deleted_installations table this build records deletions in.
  StoreSchema::migrate(*database_.session, database_.dialect);
  if (!database_.dialect.isPostgres()) {
    // Overwrite the deleted reports in the file instead of leaving them in free pages.
    *database_.session << "PRAGMA secure_delete = ON", Poco::Data::Keywords::now;
  }
}

std::int64_t InstallationEraser::erase(const std::string& installation, std::int64_t at) {
  // The writer POST /deletions goes through, so that both forget alike (on PostgreSQL the
  // installation's claims too), and the collectors' writers drop its later reports. The
  // summaries follow in the same transaction, as the collectors' writers do.
  PocoReportWriter writer(*database_.session, database_.dialect);
  writer.begin();
  try {
    PocoSqlRunner runner(*database_.session, database_.dialect);
    SummaryWriter summaries(runner);
    const auto reports = summaries.reportsOf(installation);
    const std::int64_t deleted = writer.erase(installation, at);
    summaries.removed(reports);
    writer.commit();
    return deleted;
  } catch (...) {
    writer.rollback();
    throw;
  }
}

}  // namespace telemetry::collector
