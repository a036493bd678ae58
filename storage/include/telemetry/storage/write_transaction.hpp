// A transaction that holds the store's write lock from its first statement, so that a
// read-then-write (claim the initial report, create the installation id) is atomic even
// across processes and across nodes sharing one PostgreSQL database.
#pragma once

#include <Poco/Data/Session.h>

#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::storage {

class WriteTransaction {
 public:
  /// SQLite: BEGIN IMMEDIATE. PostgreSQL: BEGIN plus a transaction-scoped advisory lock.
  WriteTransaction(Poco::Data::Session& session, const SqlDialect& dialect);
  /// Rolls back unless committed.
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();

 private:
  void end(const char* statement);

  Poco::Data::Session& session_;
  bool postgres_;
  bool open_ = true;
};

}  // namespace telemetry::storage
