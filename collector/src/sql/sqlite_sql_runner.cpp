#include "sql/sqlite_sql_runner.hpp"

#include <stdexcept>

namespace telemetry::collector {

sqlite3_stmt* SqliteSqlRunner::prepared(std::string_view sql, const std::vector<SqlValue>& params) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(connection_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
      sqlite3_finalize(statement);
      throw std::runtime_error(std::string("SQLite: cannot prepare: ") +
                               sqlite3_errmsg(connection_) + " in: " + std::string(sql));
    }
    found = statements_.emplace(std::string(sql), Statement(statement)).first;
  }
  sqlite3_stmt* statement = found->second.get();
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    int rc = SQLITE_OK;
    if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
      rc = sqlite3_bind_int64(statement, index, *number);
    } else if (const auto* str = std::get_if<std::string>(&params[i])) {
      // SQLITE_STATIC: params outlive the statement's run, which clears the bindings.
      rc = sqlite3_bind_text(statement, index, str->data(), static_cast<int>(str->size()),
                             SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) fail(statement);
  }
  return statement;
}

std::vector<SqlRow> SqliteSqlRunner::query(std::string_view sql,
                                           const std::vector<SqlValue>& params) {
  sqlite3_stmt* statement = prepared(sql, params);
  std::vector<SqlRow> rows;
  const int columns = sqlite3_column_count(statement);
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    SqlRow row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(statement, c)) {
        case SQLITE_NULL:
          row.emplace_back(std::monostate{});
          break;
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, c)));
          break;
        default: {
          // NULL for an empty BLOB: no bytes to copy.
          const auto* bytes = sqlite3_column_text(statement, c);
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, c));
          row.emplace_back(bytes ? std::string(reinterpret_cast<const char*>(bytes), size)
                                 : std::string());
        }
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) fail(statement);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  return rows;
}

void SqliteSqlRunner::execute(std::string_view sql, const std::vector<SqlValue>& params) {
  query(sql, params);
}

void SqliteSqlRunner::fail(sqlite3_stmt* statement) const {
  // Taken before reset(), which may replace the connection's message.
  const std::string message = sqlite3_errmsg(connection_);
  const std::string sql = sqlite3_sql(statement);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  throw std::runtime_error("SQLite: " + message + " in: " + sql);
}

}  // namespace telemetry::collector
