// The data dictionary as a Markdown page: docs/data.md, written by
// `telemetry explain --dictionary` from the schema and the descriptors of the plugins found.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "plugins/plugin_info.hpp"

namespace telemetry {

struct DataDictionaryPage {
  std::string markdown;
  /// Fields shown as "undocumented": a field the schema names in a plugin's section that
  /// the plugin does not document (the host's cannot be: the build checks them).
  std::size_t undocumented = 0;
};

/// Every field the host fills, then each usable plugin of `plugins` (by name) with the
/// fields of its section. Text from plugins is escaped so it cannot break the tables.
DataDictionaryPage dataDictionaryPage(const std::vector<PluginInfo>& plugins);

}  // namespace telemetry
