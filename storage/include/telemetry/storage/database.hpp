// Opens a Poco::Data session on an SQLite file or a PostgreSQL URL, the two places a
// store can live.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <Poco/Data/Session.h>

#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::storage {

/// True for postgresql:// and postgres:// URLs; anything else is an SQLite file path.
bool isPostgresUrl(std::string_view location);

/// libpq's "key='value' ..." form of a postgresql:// URL (Poco's connector wants it). User
/// and password are percent-decoded; the last '@' before the first '/' ends them. Throws
/// Poco::SyntaxException (with the URL redacted) for a URL it can't read.
std::string libpqConnectionString(const std::string& url);

/// The URL or path with any password replaced by "***", for messages and logs.
std::string redactedLocation(const std::string& location);

/// The reason of an SQLite error, once: Poco repeats SQLite's text ("file is not a database:
/// file is not a database").
std::string sqliteReason(const Poco::Exception& e);

/// One open session and the dialect it speaks.
struct Database {
  std::unique_ptr<Poco::Data::Session> session;
  SqlDialect dialect{false};
};

/// The SQLite location of a private database in memory, gone when its session closes.
inline constexpr std::string_view kInMemory = ":memory:";

/// Opens `location`. A missing SQLite file is created with mode 0600 (so are its -wal and
/// -shm), with its parent directories; an existing one waits up to 30 seconds for a lock
/// instead of failing. Throws StoreFileError when the SQLite file can't be a store (a
/// directory, empty, not SQLite or damaged, not writable), Poco::Exception when it can't
/// connect.
Database openDatabase(const std::string& location);

}  // namespace telemetry::storage
