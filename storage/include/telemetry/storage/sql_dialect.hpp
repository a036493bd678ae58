// The few places where SQLite and PostgreSQL SQL differ, so a store has one code path.
#pragma once

#include <string>
#include <string_view>

namespace telemetry::storage {

/// SQL is written once with '?' placeholders and SQLite-compatible types; this adapts it.
class SqlDialect {
 public:
  explicit SqlDialect(bool postgres) : postgres_(postgres) {}

  bool isPostgres() const { return postgres_; }
  /// Rewrites '?' as $1, $2, ... for PostgreSQL.
  std::string sql(std::string_view text) const;
  /// The column definition of an auto-numbered primary key.
  std::string autoIncrementKey() const;

 private:
  bool postgres_;
};

}  // namespace telemetry::storage
