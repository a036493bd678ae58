// SqlRunner on an SQLite connection, each statement prepared once and kept.
#pragma once

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>

#include "sql/sql_runner.hpp"

namespace telemetry::collector {

/// Borrows the connection, which must outlive it.
class SqliteSqlRunner : public SqlRunner {
 public:
  explicit SqliteSqlRunner(sqlite3* connection) : connection_(connection) {}

  std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) override;
  void execute(std::string_view sql, const std::vector<SqlValue>& params) override;
  /// One row a statement: the same SQL text every time, so it is prepared once.
  std::size_t maxRowsPerStatement() const override { return 1; }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  using Statement = std::unique_ptr<sqlite3_stmt, Finalizer>;

  sqlite3_stmt* prepared(std::string_view sql, const std::vector<SqlValue>& params);
  [[noreturn]] void fail(sqlite3_stmt* statement) const;

  sqlite3* connection_;
  // By the SQL text; std::less<> finds a string_view without building a string.
  std::map<std::string, Statement, std::less<>> statements_;
};

}  // namespace telemetry::collector
