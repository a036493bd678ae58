#include "probes/describe_mode.hpp"

#include <sstream>

#include "plugins/descriptors/plugin_description.hpp"
#include "plugins/plugin_catalog.hpp"

namespace telemetry {

plugin::Result describePlugin(const std::filesystem::path& file, bool allowUnsafe,
                              std::shared_ptr<LoadedPlugin>& loaded) {
  PluginInfo info = PluginCatalog::inspect(file, allowUnsafe, loaded);
  std::ostringstream json;
  descriptionToJson(info)->stringify(json);
  return plugin::Result::value(json.str());
}

}  // namespace telemetry
