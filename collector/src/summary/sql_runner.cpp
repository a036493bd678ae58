#include "summary/sql_runner.hpp"

namespace telemetry::collector {

std::int64_t SqlRunner::integer(const SqlValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) return *number;
  if (const auto* str = std::get_if<std::string>(&value))
    return str->empty() ? 0 : std::stoll(*str);
  return 0;
}

std::string SqlRunner::text(const SqlValue& value) {
  if (const auto* str = std::get_if<std::string>(&value)) return *str;
  if (const auto* number = std::get_if<std::int64_t>(&value)) return std::to_string(*number);
  return {};
}

}  // namespace telemetry::collector
