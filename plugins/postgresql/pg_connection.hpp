// One libpq connection whose every wait is bounded by a deadline, so a server that is down
// or stops answering costs the probe at most its time budget, never a hang.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "telemetry/plugins/db_url.hpp"

struct pg_conn;

namespace telemetry::plugins::postgresql {

/// A failed connect or query; the message is one line and holds no password.
class PgError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PgConnection {
 public:
  using Clock = std::chrono::steady_clock;

  /// Connects within `connectDeadline`; queries get the server-side statement timeout
  /// `statementTimeout`. Throws PgError "cannot connect to host:port: reason".
  PgConnection(const DbUrl& url, Clock::time_point connectDeadline,
               std::chrono::milliseconds statementTimeout);

  /// The first column of the first row of `sql` (nullopt for no row or NULL). Throws PgError
  /// when the server reports an error or `deadline` passes first.
  std::optional<std::string> queryValue(const std::string& sql, Clock::time_point deadline);

 private:
  /// Waits until the socket is readable (or writable); false when `deadline` passed.
  bool waitForSocket(bool forWrite, Clock::time_point deadline) const;
  [[noreturn]] void fail(const std::string& what, const std::string& reason) const;

  // Owned from the first moment, so a constructor that throws still closes it.
  struct Finish {
    void operator()(pg_conn* connection) const;
  };
  const DbUrl& url_;
  std::unique_ptr<pg_conn, Finish> owned_;
  pg_conn* connection_ = nullptr;
};

}  // namespace telemetry::plugins::postgresql
