// How a list of names (webapps, integrations) is kept in one text column of the store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace telemetry::collector {

/// Items separated by ',', with ',' and '\' inside an item escaped by a '\', so a name
/// containing a comma stays one name ("cockpit,admin" once counted as two webapps).
/// Columns written before the escaping split at every comma, as they were written.
class ListColumn {
 public:
  /// Appends `item` to `column`, a separator first unless `column` is empty.
  static void append(std::string& column, std::string_view item);
  /// The items of a column, empty ones left out.
  static std::vector<std::string> split(std::string_view column);
};

}  // namespace telemetry::collector
