// Runs the summaries' SQL on either backend, so that the summary code is written once: SQLite
// through statements prepared once (the writer's hot path), PostgreSQL through Poco::Data.
#pragma once

#include <cstdint>
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

  /// NULL reads as 0 and "".
  static std::int64_t integer(const SqlValue& value);
  static std::string text(const SqlValue& value);
};

}  // namespace telemetry::collector
