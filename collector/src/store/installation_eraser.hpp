// Deletes every stored report of one installation: the operator's answer to a customer
// asking to be forgotten (docs/collector.md, "Forgetting an installation").
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
  /// store of this or an older schema, Poco::Exception when it cannot connect.
  explicit InstallationEraser(const std::string& location);

  /// Deletes the installation's reports in one transaction; returns how many there were.
  std::int64_t erase(const std::string& installation);

 private:
  storage::Database database_;
};

}  // namespace telemetry::collector
