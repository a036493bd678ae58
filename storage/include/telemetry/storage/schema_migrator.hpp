// Numbered schema migrations applied on start, so a store written by an older release is
// upgraded in place and one written by a newer release is refused instead of damaged.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <Poco/Data/Session.h>

#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::storage {

/// The statements of one migration, written for the given dialect.
using Migration = std::function<std::vector<std::string>(const SqlDialect&)>;

class SchemaMigrator {
 public:
  /// `owner` names the program in messages ("state store", "collector store").
  SchemaMigrator(std::string owner, std::vector<Migration> migrations);

  /// The version this build writes: the number of migrations.
  int currentVersion() const { return static_cast<int>(migrations_.size()); }

  /// Applies every migration newer than the store's version, all under the write lock so
  /// that several processes starting at once migrate exactly once. Throws
  /// std::runtime_error when the store is newer than this build. `thenInTransaction` runs
  /// last under the same lock, given the version found (0: the store is new), so a store's
  /// first rows appear together with its tables.
  void migrate(Poco::Data::Session& session, const SqlDialect& dialect,
               const std::function<void(int)>& thenInTransaction = {}) const;

  /// The store's version, without changing anything. Throws std::runtime_error when it is
  /// newer than this build's, Poco::Exception when the store has no schema_migrations table.
  int requireKnownVersion(Poco::Data::Session& session) const;

 private:
  std::string owner_;
  std::vector<Migration> migrations_;
};

}  // namespace telemetry::storage
