// The store's writes through Poco::Data: any backend (PostgreSQL, and SQLite for `forget`),
// statements prepared anew on every execution. On PostgreSQL it claims idempotency keys and
// initial reports beside the partitioned reports (ClaimQueries).
#pragma once

#include <Poco/Data/Session.h>

#include <optional>
#include <vector>

#include "partitions/utc_month.hpp"
#include "sql/poco_sql_runner.hpp"
#include "sql/postgres_copy.hpp"
#include "store/batch_duplicate_index.hpp"
#include "store/report_writer.hpp"
#include "telemetry/storage/sql_dialect.hpp"
#include "telemetry/storage/write_transaction.hpp"

namespace telemetry::collector {

class PocoReportWriter : public ReportWriter {
 public:
  PocoReportWriter(Poco::Data::Session& session, const storage::SqlDialect& dialect);

  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  /// On PostgreSQL: the batch's checks answered from a BatchDuplicateIndex, its reports and
  /// claims sent at commit() with a COPY each (a round trip each, not per report).
  void expect(const std::vector<ReceivedReport>& reports, std::int64_t since) override;
  bool exists(DuplicateRule rule, const ReceivedReport& report, std::int64_t since) override;
  void insert(const ReceivedReport& report) override;
  void markChecked(std::int64_t at) override;
  bool deleted(const std::string& installation) override;
  std::int64_t erase(const std::string& installation, std::int64_t at) override;

 private:
  /// Creates the coming months' partitions when the month changed since the last time.
  void preparePartitions();
  /// Inserts the batch's held rows; then no batch is open.
  void insertHeld();
  void forgetBatch() noexcept;

  Poco::Data::Session& session_;
  const storage::SqlDialect& dialect_;
  std::optional<storage::WriteTransaction> transaction_;
  std::optional<UtcMonth> preparedMonth_;
  PocoSqlRunner runner_;
  std::optional<PostgresCopy> copy_;          // on PostgreSQL
  std::optional<BatchDuplicateIndex> batch_;  // while a batch is open
  std::vector<SqlRow> heldReports_, heldKeys_, heldInitials_;
};

}  // namespace telemetry::collector
