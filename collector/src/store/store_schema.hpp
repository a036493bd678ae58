// The store's tables, created and upgraded by numbered migrations on start.
#pragma once

#include <Poco/Data/Session.h>

#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::collector {

using storage::SqlDialect;

/// Applies every migration newer than the store's recorded version, each in its own
/// transaction, and refuses a store written by a newer collector.
class StoreSchema {
 public:
  /// The version this build writes.
  static int currentVersion();
  /// Throws std::runtime_error when the store is newer than this build.
  static void migrate(Poco::Data::Session& session, const SqlDialect& dialect);
  /// Checks without migrating: throws std::runtime_error when the store is newer than this
  /// build, Poco::Exception when it has no schema_migrations table.
  static void requireKnownVersion(Poco::Data::Session& session);
};

}  // namespace telemetry::collector
