// Deletes every stored report of one installation and records it as deleted: the operator's
// answer to a customer asking to be forgotten (docs/collector.md, "Forgetting an
// installation"); POST /deletions does the same through the running collector.
#pragma once

#include <cstdint>
#include <string>

#include "telemetry/storage/database.hpp"

namespace telemetry::collector {

/// Works beside running collectors: it writes in the same kind of transaction as their
/// store writers (BEGIN IMMEDIATE on SQLite, the advisory write lock on PostgreSQL).
class InstallationEraser {
 public:
  /// Opens the store at `location` (SQLite file or postgresql:// URL). Throws
  /// std::runtime_error when an SQLite file does not exist or the store is not a collector
  /// store of this or an older schema (an older one is migrated), Poco::Exception when it
  /// cannot connect.
  explicit InstallationEraser(const std::string& location);

  /// Deletes the installation's reports and records it as deleted at `at` (epoch seconds),
  /// so that collectors drop its later reports, in one transaction; returns how many
  /// reports there were.
  std::int64_t erase(const std::string& installation, std::int64_t at);

 private:
  storage::Database database_;
};

}  // namespace telemetry::collector
