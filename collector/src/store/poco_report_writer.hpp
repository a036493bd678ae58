// The store's writes through Poco::Data: any backend (PostgreSQL, and SQLite for `forget`),
// statements prepared anew on every execution. On PostgreSQL it claims idempotency keys and
// initial reports beside the partitioned reports (ClaimQueries).
#pragma once

#include <Poco/Data/Session.h>

#include <optional>

#include "partitions/utc_month.hpp"

#include "store/report_writer.hpp"
#include "telemetry/storage/sql_dialect.hpp"
#include "telemetry/storage/write_transaction.hpp"

namespace telemetry::collector {

class PocoReportWriter : public ReportWriter {
 public:
  PocoReportWriter(Poco::Data::Session& session, const storage::SqlDialect& dialect)
      : session_(session), dialect_(dialect) {}

  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool exists(DuplicateRule rule, const ReceivedReport& report, std::int64_t since) override;
  void insert(const ReceivedReport& report) override;
  void markChecked(std::int64_t at) override;
  bool deleted(const std::string& installation) override;
  std::int64_t erase(const std::string& installation, std::int64_t at) override;

 private:
  /// Creates the coming months' partitions when the month changed since the last time.
  void preparePartitions();

  Poco::Data::Session& session_;
  const storage::SqlDialect& dialect_;
  std::optional<storage::WriteTransaction> transaction_;
  std::optional<UtcMonth> preparedMonth_;
};

}  // namespace telemetry::collector
