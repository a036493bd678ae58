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

/// One open session and the dialect it speaks.
struct Database {
  std::unique_ptr<Poco::Data::Session> session;
  SqlDialect dialect{false};
};

/// Opens `location`. An SQLite file gets its parent directories created and waits up to
/// 30 seconds for a lock instead of failing. Throws Poco::Exception when it can't connect.
Database openDatabase(const std::string& location);

}  // namespace telemetry::storage
