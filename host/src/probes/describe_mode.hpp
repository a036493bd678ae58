// `telemetry-probe --describe`: the child side of reading a plugin's descriptor out of the
// host's process, so that a plugin whose loading crashes, exits or hangs costs only a child.
#pragma once

#include <filesystem>
#include <memory>

#include "plugins/loaded_plugin.hpp"
#include "telemetry/plugin/result.hpp"

namespace telemetry {

/// Checks and loads `file` as for a probe run (PluginCatalog::inspect) and answers its
/// description (plugin_description.hpp) as a value, also when the plugin is refused (a
/// wrong ABI, a bad descriptor). `loaded` keeps the library loaded until the child exits.
plugin::Result describePlugin(const std::filesystem::path& file, bool allowUnsafe,
                              std::shared_ptr<LoadedPlugin>& loaded);

}  // namespace telemetry
