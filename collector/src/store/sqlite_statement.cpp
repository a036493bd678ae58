#include "store/sqlite_statement.hpp"

#include <stdexcept>
#include <string>

namespace telemetry::collector {

SqliteStatement::SqliteStatement(sqlite3* connection, std::string_view sql)
    : connection_(connection) {
  if (sqlite3_prepare_v3(connection_, sql.data(), static_cast<int>(sql.size()),
                         SQLITE_PREPARE_PERSISTENT, &statement_, nullptr) != SQLITE_OK) {
    fail("cannot prepare");
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::bind(int index, std::string_view text) {
  // SQLITE_STATIC: the caller keeps the text alive until run(), so SQLite need not copy it.
  if (sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                        SQLITE_STATIC) != SQLITE_OK) {
    fail("cannot bind");
  }
  return *this;
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) fail("cannot bind");
  return *this;
}

bool SqliteStatement::run() {
  const int rc = sqlite3_step(statement_);
  const bool failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
  // Taken before reset(), which may replace the connection's message.
  const std::string message = failed ? sqlite3_errmsg(connection_) : "";
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  if (failed) {
    throw std::runtime_error("SQLite: " + message + " in: " + sqlite3_sql(statement_));
  }
  return rc == SQLITE_ROW;
}

void SqliteStatement::fail(const char* what) const {
  throw std::runtime_error(std::string("SQLite: ") + what + ": " + sqlite3_errmsg(connection_) +
                           (statement_ ? std::string(" in: ") + sqlite3_sql(statement_) : ""));
}

}  // namespace telemetry::collector
