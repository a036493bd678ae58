#include "pg_connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <vector>

namespace telemetry::plugins::postgresql {
namespace {

using std::chrono::milliseconds;

milliseconds left(PgConnection::Clock::time_point deadline) {
  auto ms = std::chrono::duration_cast<milliseconds>(deadline - PgConnection::Clock::now());
  return ms.count() > 0 ? ms : milliseconds{0};
}

// libpq says 'connection to server at "h", port p failed: REASON\n\tIs the server...'; the
// caller already names host and port, so keep only the reason's first line.
std::string reasonOf(const char* message) {
  std::string text = message != nullptr ? message : "";
  text = text.substr(0, text.find('\n'));
  const std::string failed = "failed: ";
  if (text.starts_with("connection to server")) {
    if (auto at = text.find(failed); at != std::string::npos)
      text = text.substr(at + failed.size());
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  return text.empty() ? "unknown error" : text;
}

}  // namespace

PgConnection::PgConnection(const DbUrl& url, Clock::time_point connectDeadline,
                           milliseconds statementTimeout)
    : url_(url) {
  const std::string port = std::to_string(url.port);
  // libpq's own connect_timeout (whole seconds, at least 2) is only a backstop for the
  // deadline enforced below.
  const auto seconds = std::max<long long>(2, (left(connectDeadline).count() + 999) / 1000);
  const std::string connectTimeout = std::to_string(seconds);
  const std::string options =
      "-c statement_timeout=" + std::to_string(std::max<long long>(1, statementTimeout.count()));
  std::vector<const char*> keys{"host", "port", "connect_timeout", "options"};
  std::vector<const char*> values{url.host.c_str(), port.c_str(), connectTimeout.c_str(),
                                  options.c_str()};
  auto addIfSet = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    keys.push_back(key);
    values.push_back(value.c_str());
  };
  addIfSet("user", url.user);
  addIfSet("password", url.password);
  addIfSet("dbname", url.database);
  keys.push_back(nullptr);
  values.push_back(nullptr);

  owned_.reset(PQconnectStartParams(keys.data(), values.data(), 0));
  connection_ = owned_.get();
  if (connection_ == nullptr) fail("cannot connect to", "out of memory");
  if (PQstatus(connection_) == CONNECTION_BAD) {
    fail("cannot connect to", reasonOf(PQerrorMessage(connection_)));
  }
  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    if (status == PGRES_POLLING_FAILED) {
      fail("cannot connect to", reasonOf(PQerrorMessage(connection_)));
    }
    if (!waitForSocket(status == PGRES_POLLING_WRITING, connectDeadline)) {
      fail("cannot connect to", "no answer within the connect timeout");
    }
    status = PQconnectPoll(connection_);
  }
  if (PQsetnonblocking(connection_, 1) != 0) {
    fail("cannot connect to", reasonOf(PQerrorMessage(connection_)));
  }
}

void PgConnection::Finish::operator()(pg_conn* connection) const { PQfinish(connection); }

std::optional<std::string> PgConnection::queryValue(const std::string& sql,
                                                    Clock::time_point deadline) {
  const std::string what = "query '" + sql + "' on";
  if (PQsendQuery(connection_, sql.c_str()) == 0) {
    fail(what, reasonOf(PQerrorMessage(connection_)));
  }
  for (int pending = PQflush(connection_); pending != 0; pending = PQflush(connection_)) {
    if (pending < 0) fail(what, reasonOf(PQerrorMessage(connection_)));
    if (!waitForSocket(true, deadline)) fail(what, "timed out");
  }
  std::optional<std::string> value;
  std::string error;
  for (;;) {
    while (PQisBusy(connection_) != 0) {
      // Dropping the connection (in the destructor) is what abandons a query past the
      // deadline; the server's statement_timeout ends it on its side.
      if (!waitForSocket(false, deadline)) fail(what, "timed out");
      if (PQconsumeInput(connection_) == 0) fail(what, reasonOf(PQerrorMessage(connection_)));
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQgetResult(connection_), &PQclear);
    if (!result) break;
    const ExecStatusType status = PQresultStatus(result.get());
    if (status == PGRES_TUPLES_OK && !value && PQntuples(result.get()) > 0 &&
        PQnfields(result.get()) > 0 && PQgetisnull(result.get(), 0, 0) == 0) {
      value = PQgetvalue(result.get(), 0, 0);
    } else if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE) {
      error = reasonOf(PQresultErrorMessage(result.get()));
    }
  }
  if (!error.empty()) fail(what, error);
  return value;
}

bool PgConnection::waitForSocket(bool forWrite, Clock::time_point deadline) const {
  pollfd socket{PQsocket(connection_), static_cast<short>(forWrite ? POLLOUT : POLLIN), 0};
  if (socket.fd < 0) return true;  // libpq reports the broken connection on the next call
  for (;;) {
    const int ready = poll(&socket, 1, static_cast<int>(left(deadline).count()));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;
  }
}

void PgConnection::fail(const std::string& what, const std::string& reason) const {
  throw PgError(url_.withoutPassword(what + " " + url_.endpoint() + ": " + reason));
}

}  // namespace telemetry::plugins::postgresql
