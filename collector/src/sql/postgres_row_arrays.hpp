// SqlRunner's multi-row SQL ("VALUES ?*", "IN (?*)") bound as PostgreSQL arrays, one
// parameter per column instead of one per value: Poco::Data binds, describes and sends
// each parameter, and a drain batch's installation rows alone were 53,000 of them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/sql_runner.hpp"

namespace telemetry::collector {

/// A statement with its rows as arrays: the SQL (still with '?' placeholders) and what
/// it binds, in order.
struct ArrayStatement {
  std::string sql;
  std::vector<SqlValue> params;
};

class PostgresRowArrays {
 public:
  /// `sql` with its "VALUES ?*" as "SELECT * FROM unnest(CAST(? AS type[]), ...)", or its
  /// "IN (?*)" of one-column rows as "= ANY(CAST(? AS type[]))"; `params` bind the plain
  /// '?' around the marker. A column is BIGINT[] if its values are numbers, TEXT[] if text
  /// (NULL in either; a column of NULLs only is TEXT[]). Nothing when the SQL has neither form;
  /// std::invalid_argument for rows of different widths or a column mixing numbers and text.
  static std::optional<ArrayStatement> bind(std::string_view sql,
                                            const std::vector<SqlValue>& params,
                                            const std::vector<SqlRow>& rows);

  /// Column `column` of `rows` as an array literal: {"text","with \"quotes\""} or {1,2};
  /// NULL unquoted. PostgreSQL's text holds no NUL character: a value ends at its first,
  /// as it does when libpq binds it as a parameter.
  static std::string literal(const std::vector<SqlRow>& rows, std::size_t column);
};

}  // namespace telemetry::collector
