#include "telemetry/storage/write_transaction.hpp"

#include <string_view>

namespace telemetry::storage {
namespace {

using namespace Poco::Data::Keywords;

// Any fixed number: every writer of a store takes the same advisory lock.
constexpr const char* kLockStatement =
    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(7461636574)) AS write_lock";

}  // namespace

WriteTransaction::WriteTransaction(Poco::Data::Session& session, const SqlDialect& dialect)
    : session_(session), postgres_(dialect.isPostgres()) {
  if (postgres_) {
    session_.begin();
    try {
      int locked = 0;
      session_ << kLockStatement, into(locked), now;
    } catch (...) {
      session_.rollback();
      throw;
    }
  } else {
    // A deferred BEGIN would fail with SQLITE_BUSY when two writers upgrade their locks.
    session_ << "BEGIN IMMEDIATE", now;
  }
}

WriteTransaction::~WriteTransaction() {
  if (!open_) return;
  try {
    open_ = false;
    end("ROLLBACK");
  } catch (...) {
    // Nothing sensible to do: the connection is broken and the server rolls back.
  }
}

void WriteTransaction::commit() {
  end("COMMIT");
  open_ = false;  // only now: a failed COMMIT is rolled back by the destructor
}

void WriteTransaction::end(const char* statement) {
  // Poco's SQLite session only knows transactions it began itself, so end ours in SQL.
  if (!postgres_) {
    session_ << statement, now;
  } else if (std::string_view(statement) == "COMMIT") {
    session_.commit();
  } else {
    session_.rollback();
  }
}

}  // namespace telemetry::storage
