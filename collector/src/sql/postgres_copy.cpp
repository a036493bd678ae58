#include "sql/postgres_copy.hpp"

#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <libpq-fe.h>

#include <memory>
#include <stdexcept>

namespace telemetry::collector {
namespace {

// Sent to the server in pieces of about this size: large enough that a drain batch takes a
// few calls, small enough that the buffer stays a small part of the collector's memory.
constexpr std::size_t kChunkBytes = 1 << 20;

struct ResultClear {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClear>;

std::string trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

std::string messageOf(PGconn* connection) {
  std::string message = trimmed(PQerrorMessage(connection));
  return message.empty() ? "no message from PostgreSQL" : message;
}

// A failed result's reason; the connection's when it has none (or there is no result: a lost
// connection).
std::string reasonOf(const PGresult* result, PGconn* connection) {
  std::string message = result ? trimmed(PQresultErrorMessage(result)) : "";
  return message.empty() ? messageOf(connection) : message;
}

}  // namespace

PostgresCopy::PostgresCopy(Poco::Data::Session& session) {
  auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl());
  if (impl == nullptr) throw std::invalid_argument("COPY needs a PostgreSQL session");
  connection_ = impl->handle();
}

void PostgresCopy::appendField(std::string& out, const SqlValue& value) {
  if (std::holds_alternative<std::monostate>(value)) {
    out += "\\N";
    return;
  }
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    out += std::to_string(*number);
    return;
  }
  for (const char c : std::get<std::string>(value)) {
    switch (c) {
      case '\0':
        return;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

void PostgresCopy::send(const std::string& data) {
  if (PQputCopyData(connection_, data.data(), static_cast<int>(data.size())) != 1)
    throw std::runtime_error("COPY failed: " + messageOf(connection_));
}

void PostgresCopy::finish() {
  std::string failure;
  while (Result result{PQgetResult(connection_)}) {
    const auto status = PQresultStatus(result.get());
    // Still copying: the end was not sent (PQputCopyEnd failed), and asking again would
    // return the same state forever.
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      if (failure.empty()) failure = "the connection is still copying: " + messageOf(connection_);
      break;
    }
    if (status != PGRES_COMMAND_OK && failure.empty())
      failure = reasonOf(result.get(), connection_);
  }
  if (!failure.empty()) throw std::runtime_error("COPY failed: " + failure);
}

void PostgresCopy::copy(std::string_view copySql, const std::vector<SqlRow>& rows) {
  const std::string sql(copySql);
  const Result started{PQexec(connection_, sql.c_str())};
  if (PQresultStatus(started.get()) != PGRES_COPY_IN)
    throw std::runtime_error("COPY failed to start: " + reasonOf(started.get(), connection_));
  try {
    std::string data;
    data.reserve(kChunkBytes + kChunkBytes / 4);
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) data += '\t';
        appendField(data, row[i]);
      }
      data += '\n';
      if (data.size() >= kChunkBytes) {
        send(data);
        data.clear();
      }
    }
    if (!data.empty()) send(data);
  } catch (const std::exception& e) {
    // Ends the COPY as failed, so that the connection can take the rollback. The server's
    // reason (a refused row ends the COPY early) says more than the failed send.
    PQputCopyEnd(connection_, e.what());
    finish();
    throw;
  }
  if (PQputCopyEnd(connection_, nullptr) != 1) {
    const std::string reason = messageOf(connection_);
    finish();
    throw std::runtime_error("COPY failed to end: " + reason);
  }
  finish();
}

}  // namespace telemetry::collector
