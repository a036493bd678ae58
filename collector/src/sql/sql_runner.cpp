#include "sql/sql_runner.hpp"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace telemetry::collector {

std::vector<SqlRow> SqlRunner::rowsOf(const std::set<std::string>& values) {
  std::vector<SqlRow> rows;
  rows.reserve(values.size());
  for (const auto& value : values) rows.push_back({value});
  return rows;
}

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

template <typename Run>
void SqlRunner::forEachChunk(std::string_view sql, const std::vector<SqlValue>& params,
                             const std::vector<SqlRow>& rows, Run run) {
  const auto marker = sql.find(kRows);
  if (marker == std::string_view::npos) throw std::invalid_argument("no row marker in the SQL");
  const std::string_view head = sql.substr(0, marker);
  const std::string_view tail = sql.substr(marker + kRows.size());
  const auto before = static_cast<std::size_t>(std::count(head.begin(), head.end(), '?'));
  if (before > params.size()) throw std::invalid_argument("fewer parameters than placeholders");
  const std::size_t width = rows.empty() ? 1 : std::max<std::size_t>(rows.front().size(), 1);
  if (params.size() + width > maxParameters())
    throw std::invalid_argument("a row has more parameters than one statement takes");
  const std::size_t perStatement = std::min((maxParameters() - params.size()) / width,
                                            std::max<std::size_t>(maxRowsPerStatement(), 1));
  std::string tuple = "(";
  for (std::size_t i = 0; i < width; ++i) tuple += i ? ", ?" : "?";
  tuple += ")";
  for (std::size_t first = 0; first < rows.size(); first += perStatement) {
    const std::size_t last = std::min(rows.size(), first + perStatement);
    std::string text(head);
    text.reserve(head.size() + (last - first) * (tuple.size() + 2) + tail.size());
    std::vector<SqlValue> bound(params.begin(),
                                params.begin() + static_cast<std::ptrdiff_t>(before));
    bound.reserve(params.size() + (last - first) * width);
    for (std::size_t r = first; r < last; ++r) {
      if (rows[r].size() != width) throw std::invalid_argument("rows of different widths");
      if (r > first) text += ", ";
      text += tuple;
      bound.insert(bound.end(), rows[r].begin(), rows[r].end());
    }
    text += tail;
    bound.insert(bound.end(), params.begin() + static_cast<std::ptrdiff_t>(before), params.end());
    run(text, bound);
  }
}

std::vector<SqlRow> SqlRunner::queryEach(std::string_view sql, const std::vector<SqlValue>& params,
                                         const std::vector<SqlRow>& rows) {
  std::vector<SqlRow> out;
  forEachChunk(sql, params, rows, [&](const std::string& text, const std::vector<SqlValue>& bound) {
    auto found = query(text, bound);
    std::move(found.begin(), found.end(), std::back_inserter(out));
  });
  return out;
}

void SqlRunner::executeEach(std::string_view sql, const std::vector<SqlValue>& params,
                            const std::vector<SqlRow>& rows) {
  forEachChunk(sql, params, rows, [&](const std::string& text, const std::vector<SqlValue>& bound) {
    execute(text, bound);
  });
}

}  // namespace telemetry::collector
