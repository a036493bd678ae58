#include "report/list_column.hpp"

namespace telemetry::collector {

void ListColumn::append(std::string& column, std::string_view item) {
  if (!column.empty()) column += ',';
  for (const char c : item) {
    if (c == ',' || c == '\\') column += '\\';
    column += c;
  }
}

std::vector<std::string> ListColumn::split(std::string_view column) {
  std::vector<std::string> items;
  std::string item;
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column[i] == '\\' && i + 1 < column.size()) {
      item += column[++i];
    } else if (column[i] == ',') {
      if (!item.empty()) items.push_back(std::move(item));
      item.clear();
    } else {
      item += column[i];
    }
  }
  if (!item.empty()) items.push_back(std::move(item));
  return items;
}

}  // namespace telemetry::collector
