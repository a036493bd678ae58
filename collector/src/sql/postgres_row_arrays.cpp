#include "sql/postgres_row_arrays.hpp"

#include <algorithm>
#include <stdexcept>

namespace telemetry::collector {
namespace {

constexpr std::string_view kValues = "VALUES ?*";
constexpr std::string_view kAmong = "IN (?*)";

// Whether `column` holds numbers (else text); NULLs say nothing.
bool numeric(const std::vector<SqlRow>& rows, std::size_t column) {
  bool numbers = false, texts = false;
  for (const auto& row : rows) {
    numbers = numbers || std::holds_alternative<std::int64_t>(row[column]);
    texts = texts || std::holds_alternative<std::string>(row[column]);
  }
  if (numbers && texts) throw std::invalid_argument("a column of numbers and text");
  return numbers;
}

std::string arrayOf(const std::vector<SqlRow>& rows, std::size_t column) {
  return std::string("CAST(? AS ") + (numeric(rows, column) ? "BIGINT[])" : "TEXT[])");
}

}  // namespace

std::string PostgresRowArrays::literal(const std::vector<SqlRow>& rows, std::size_t column) {
  std::string out = "{";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r > 0) out += ',';
    const SqlValue& value = rows[r].at(column);
    if (std::holds_alternative<std::monostate>(value)) {
      out += "NULL";
    } else if (const auto* number = std::get_if<std::int64_t>(&value)) {
      out += std::to_string(*number);
    } else {
      // Quoted, so that commas, braces, spaces, an empty text and "NULL" stay text.
      out += '"';
      const auto& text = std::get<std::string>(value);
      for (const char c : std::string_view(text.data(), std::min(text.size(), text.find('\0')))) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    }
  }
  out += '}';
  return out;
}

std::optional<ArrayStatement> PostgresRowArrays::bind(std::string_view sql,
                                                      const std::vector<SqlValue>& params,
                                                      const std::vector<SqlRow>& rows) {
  const std::size_t values = sql.find(kValues);
  const std::size_t among = values == std::string_view::npos ? sql.find(kAmong) : values;
  if (among == std::string_view::npos || rows.empty()) return std::nullopt;
  const std::size_t width = rows.front().size();
  for (const auto& row : rows) {
    if (row.size() != width) throw std::invalid_argument("rows of different widths");
  }
  const bool isValues = values != std::string_view::npos;
  if (width == 0 || (!isValues && width != 1)) return std::nullopt;
  const std::string_view head = sql.substr(0, among);
  // "NOT IN" has no "NOT = ANY" form; SqlRunner's lists serve it.
  if (!isValues && head.ends_with("NOT ")) return std::nullopt;
  const std::string_view tail = sql.substr(among + (isValues ? kValues : kAmong).size());
  const auto before = static_cast<std::size_t>(std::count(head.begin(), head.end(), '?'));
  if (before > params.size()) throw std::invalid_argument("fewer parameters than placeholders");

  ArrayStatement out;
  out.sql = head;
  out.params.assign(params.begin(), params.begin() + static_cast<std::ptrdiff_t>(before));
  if (isValues) {
    out.sql += "SELECT * FROM unnest(";
    for (std::size_t c = 0; c < width; ++c) {
      if (c > 0) out.sql += ", ";
      out.sql += arrayOf(rows, c);
      out.params.emplace_back(literal(rows, c));
    }
    out.sql += ")";
  } else {
    out.sql += "= ANY(" + arrayOf(rows, 0) + ")";
    out.params.emplace_back(literal(rows, 0));
  }
  out.sql += tail;
  out.params.insert(out.params.end(), params.begin() + static_cast<std::ptrdiff_t>(before),
                    params.end());
  return out;
}

}  // namespace telemetry::collector
