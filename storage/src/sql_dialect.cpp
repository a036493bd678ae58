#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::storage {

std::string SqlDialect::sql(std::string_view text) const {
  if (!postgres_) return std::string(text);
  std::string out;
  int n = 0;
  for (char c : text) {
    if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string SqlDialect::autoIncrementKey() const {
  return postgres_ ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
}

}  // namespace telemetry::storage
