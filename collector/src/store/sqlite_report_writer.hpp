// The store's writes on SQLite with statements prepared once, below Poco::Data (which
// prepares every statement anew on each execution).
#pragma once

#include <sqlite3.h>

#include "store/report_writer.hpp"
#include "store/sqlite_statement.hpp"

namespace telemetry::collector {

/// Borrows the connection of the store's write session, which must outlive it.
class SqliteReportWriter : public ReportWriter {
 public:
  explicit SqliteReportWriter(sqlite3* connection);

  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool exists(DuplicateRule rule, const ReceivedReport& report, std::int64_t since) override;
  void insert(const ReceivedReport& report) override;
  void markChecked(std::int64_t at) override;
  bool deleted(const std::string& installation) override;
  std::int64_t erase(const std::string& installation, std::int64_t at) override;

 private:
  sqlite3* connection_;
  SqliteStatement begin_;
  SqliteStatement commit_;
  SqliteStatement rollback_;
  SqliteStatement sameIdempotencyKey_;
  SqliteStatement sameIdempotencyKeyAndPayload_;
  SqliteStatement initialAlreadyStored_;
  SqliteStatement samePayloadInWindow_;
  SqliteStatement insert_;
  SqliteStatement markChecked_;
  SqliteStatement installationDeleted_;
  SqliteStatement deleteReportsOf_;
  SqliteStatement recordDeletion_;
};

}  // namespace telemetry::collector
