// SqlRunner through Poco::Data (PostgreSQL, and SQLite outside the writer's hot path).
#pragma once

#include <Poco/Data/Session.h>

#include "summary/sql_runner.hpp"
#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::collector {

/// Borrows the session and the dialect, which must outlive it.
class PocoSqlRunner : public SqlRunner {
 public:
  PocoSqlRunner(Poco::Data::Session& session, const storage::SqlDialect& dialect)
      : session_(session), dialect_(dialect) {}

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override;
  void execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  /// PostgreSQL's protocol counts parameters in 16 bits.
  std::size_t maxParameters() const override { return dialect_.isPostgres() ? 65535 : 999; }

 private:
  Poco::Data::Session& session_;
  const storage::SqlDialect& dialect_;
};

}  // namespace telemetry::collector
