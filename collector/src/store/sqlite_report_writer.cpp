#include "store/sqlite_report_writer.hpp"

#include "store/report_queries.hpp"

namespace telemetry::collector {

SqliteReportWriter::SqliteReportWriter(sqlite3* connection)
    // IMMEDIATE: a deferred BEGIN would fail with SQLITE_BUSY when two writers upgrade locks.
    : connection_(connection),
      begin_(connection, "BEGIN IMMEDIATE"),
      commit_(connection, "COMMIT"),
      rollback_(connection, "ROLLBACK"),
      sameIdempotencyKey_(connection, ReportQueries::kSameIdempotencyKey),
      sameIdempotencyKeyAndPayload_(connection, ReportQueries::kSameIdempotencyKeyAndPayload),
      initialAlreadyStored_(connection, ReportQueries::kInitialAlreadyStored),
      samePayloadInWindow_(connection, ReportQueries::kSamePayloadInWindow),
      insert_(connection, ReportQueries::kInsert),
      markChecked_(connection, ReportQueries::kMarkChecked),
      installationDeleted_(connection, ReportQueries::kInstallationDeleted),
      deleteReportsOf_(connection, ReportQueries::kDeleteReportsOf),
      recordDeletion_(connection, ReportQueries::kRecordDeletion) {}

void SqliteReportWriter::begin() { begin_.run(); }

void SqliteReportWriter::commit() { commit_.run(); }

void SqliteReportWriter::rollback() noexcept {
  try {
    rollback_.run();
  } catch (const std::exception&) {
    // No transaction was open (BEGIN failed), or SQLite already rolled it back.
  }
}

bool SqliteReportWriter::exists(DuplicateRule rule, const ReceivedReport& report,
                                std::int64_t since) {
  if (rule == DuplicateRule::sameIdempotencyKey) {
    return sameIdempotencyKey_.bind(1, report.idempotencyKey).run();
  }
  if (rule == DuplicateRule::sameIdempotencyKeyAndPayload) {
    return sameIdempotencyKeyAndPayload_.bind(1, report.idempotencyKey)
        .bind(2, report.payloadDigest)
        .run();
  }
  if (rule == DuplicateRule::initialAlreadyStored) {
    return initialAlreadyStored_.bind(1, report.installation).run();
  }
  // The sender's address under the current key, then under each replaced key still kept.
  if (samePayloadInWindow_.bind(1, report.installation)
          .bind(2, report.payloadDigest)
          .bind(3, report.ipHash)
          .bind(4, since)
          .run()) {
    return true;
  }
  for (const auto& former : report.formerIpHashes) {
    if (samePayloadInWindow_.bind(1, report.installation)
            .bind(2, report.payloadDigest)
            .bind(3, former)
            .bind(4, since)
            .run()) {
      return true;
    }
  }
  return false;
}

void SqliteReportWriter::insert(const ReceivedReport& report) {
  insert_.bind(1, report.receivedAt)
      .bind(2, report.installation)
      .bind(3, report.initial ? "initial" : "full")
      .bind(4, report.ipHash)
      .bind(5, report.payloadDigest)
      .bind(6, report.idempotencyKey)
      .bind(7, report.productVersion)
      .bind(8, report.edition)
      .bind(9, std::int64_t{report.telemetryEnabled ? 1 : 0})
      .bind(10, report.databaseVendor)
      .bind(11, report.applicationServerVendor)
      .bind(12, report.jdk)
      .bind(13, report.integrations)
      .bind(14, report.webapps)
      .bind(15, report.payload)
      .run();
}

void SqliteReportWriter::markChecked(std::int64_t at) { markChecked_.bind(1, at).run(); }

bool SqliteReportWriter::deleted(const std::string& installation) {
  return installationDeleted_.bind(1, installation).run();
}

std::int64_t SqliteReportWriter::erase(const std::string& installation, std::int64_t at) {
  deleteReportsOf_.bind(1, installation).run();
  const std::int64_t erased = sqlite3_changes64(connection_);
  recordDeletion_.bind(1, installation).bind(2, at).run();
  return erased;
}

}  // namespace telemetry::collector
