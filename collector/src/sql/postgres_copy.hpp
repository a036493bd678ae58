// Rows into a PostgreSQL table with COPY ... FROM STDIN, on the connection of a Poco::Data
// session: one round trip for a drain batch's reports instead of multi-row INSERTs whose
// every parameter Poco binds, describes and sends (docs/performance.md).
#pragma once

#include <Poco/Data/Session.h>

#include <string>
#include <string_view>
#include <vector>

#include "sql/sql_runner.hpp"

struct pg_conn;

namespace telemetry::collector {

/// Borrows the session, which must outlive it and be a PostgreSQL one; runs inside the
/// transaction the session has open, so the rows commit or roll back with it.
class PostgresCopy {
 public:
  /// std::invalid_argument unless `session` is a PostgreSQL session.
  explicit PostgresCopy(Poco::Data::Session& session);

  /// Runs `copySql` ("COPY table (columns) FROM STDIN", text format) with `rows`, whose
  /// values follow the column list. A refused row (a unique index, a wrong type) fails the
  /// whole statement with PostgreSQL's message, as an INSERT would: std::runtime_error.
  void copy(std::string_view copySql, const std::vector<SqlRow>& rows);

  /// Appends `value` as a field of COPY's text format: NULL as \N; tab, newline, carriage
  /// return and backslash escaped. PostgreSQL's text holds no NUL character: a value ends
  /// at its first, as it does when libpq binds it as a parameter.
  static void appendField(std::string& out, const SqlValue& value);

 private:
  /// Sends `data` as part of the running COPY.
  void send(const std::string& data);
  /// Reads the COPY's results until none is left; throws the first error.
  void finish();

  pg_conn* connection_;
};

}  // namespace telemetry::collector
