// Runs SQL on either backend, so that the summaries and a drain batch's reads are written
// once: SQLite through statements prepared once (the writer's hot path), PostgreSQL through
// Poco::Data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace telemetry::collector {

/// A bound parameter or a column value: NULL, a whole number or text.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlRow = std::vector<SqlValue>;

/// SQL is written with '?' placeholders (SqlDialect adapts it); used by one thread at a time,
/// inside a transaction its caller opened.
class SqlRunner {
 public:
  virtual ~SqlRunner() = default;
  /// Every row of a SELECT.
  virtual std::vector<SqlRow> query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  /// Runs a statement that returns no rows.
  virtual void execute(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  /// The most parameters one statement may bind (SQLite's oldest default limit unless told).
  virtual std::size_t maxParameters() const { return 999; }
  /// The most rows one statement of queryEach or executeEach may take: unbounded unless a
  /// backend gains nothing from more (SQLite runs in-process and keeps one prepared
  /// statement per SQL text).
  virtual std::size_t maxRowsPerStatement() const { return maxParameters(); }

  /// The marker in queryEach's and executeEach's SQL: one "(?, ..., ?)" per row, comma
  /// separated ("installation IN (?*)", "VALUES ?*").
  static constexpr std::string_view kRows = "?*";
  /// Every row of a SELECT whose kRows marker stands for `rows` (all of one width), in as
  /// few statements as maxParameters() allows; `params` bind the plain '?' around the marker
  /// in every statement. The rows of all statements, in no particular order.
  /// A backend may bind the rows another way (PocoSqlRunner: PostgreSQL arrays).
  virtual std::vector<SqlRow> queryEach(std::string_view sql, const std::vector<SqlValue>& params,
                                        const std::vector<SqlRow>& rows);
  /// The same for a statement that returns no rows (a multi-row INSERT).
  virtual void executeEach(std::string_view sql, const std::vector<SqlValue>& params,
                           const std::vector<SqlRow>& rows);

  /// One row of one text column per value: what an "IN (?*)" list binds.
  static std::vector<SqlRow> rowsOf(const std::set<std::string>& values);

  /// NULL reads as 0 and "".
  static std::int64_t integer(const SqlValue& value);
  static std::string text(const SqlValue& value);

 private:
  /// Calls `run` with each statement's SQL and parameters.
  template <typename Run>
  void forEachChunk(std::string_view sql, const std::vector<SqlValue>& params,
                    const std::vector<SqlRow>& rows, Run run);
};

}  // namespace telemetry::collector
