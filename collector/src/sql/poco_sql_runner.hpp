// SqlRunner through Poco::Data (PostgreSQL, and SQLite outside the writer's hot path).
#pragma once

#include <Poco/Data/Session.h>

#include "sql/sql_runner.hpp"
#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::collector {

/// Borrows the session and the dialect, which must outlive it.
class PocoSqlRunner : public SqlRunner {
 public:
  PocoSqlRunner(Poco::Data::Session& session, const storage::SqlDialect& dialect)
      : session_(session), dialect_(dialect) {}

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override;
  void execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  /// On PostgreSQL "VALUES ?*" and "IN (?*)" bind one array per column, in one statement
  /// (PostgresRowArrays); other SQL, and SQLite, as SqlRunner does.
  std::vector<SqlRow> queryEach(std::string_view sql, const std::vector<SqlValue>& params,
                                const std::vector<SqlRow>& rows) override;
  void executeEach(std::string_view sql, const std::vector<SqlValue>& params,
                   const std::vector<SqlRow>& rows) override;
  /// PostgreSQL takes 65,535, but Poco describes every statement and libpq (15) refuses a
  /// parameter description over 30,000 bytes, 4 per parameter ("lost synchronization").
  std::size_t maxParameters() const override { return dialect_.isPostgres() ? 7000 : 999; }

 private:
  Poco::Data::Session& session_;
  const storage::SqlDialect& dialect_;
};

}  // namespace telemetry::collector
