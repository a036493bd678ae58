// One SQLite statement prepared once and run many times: Poco::Data prepares its statements
// again on every execution, which cost the store's writer about a quarter of its time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string_view>

namespace telemetry::collector {

/// Owns a prepared statement on a connection it does not own; not thread-safe, like the
/// connection. Bound text must outlive the next run(), which clears every binding.
class SqliteStatement {
 public:
  /// Throws std::runtime_error with SQLite's message when the SQL does not compile.
  SqliteStatement(sqlite3* connection, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  /// Binds the 1-based parameter `index`.
  SqliteStatement& bind(int index, std::string_view text);
  SqliteStatement& bind(int index, std::int64_t value);
  /// Runs to the first row or the end; true when there was a row. Throws std::runtime_error
  /// on failure (a violated unique index, a busy database); the statement stays usable.
  bool run();

 private:
  [[noreturn]] void fail(const char* what) const;

  sqlite3* connection_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace telemetry::collector
