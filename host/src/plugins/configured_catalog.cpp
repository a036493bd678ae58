#include "plugins/configured_catalog.hpp"

#include "plugins/descriptors/child_descriptor_reader.hpp"
#include "plugins/descriptors/descriptor_cache.hpp"
#include "telemetry/config_loader.hpp"

namespace telemetry {

PluginCatalog configuredCatalog(const Config& config) {
  const PluginsConfig& plugins = config.plugins;
  if (plugins.isolation == Isolation::inProcess) {
    return PluginCatalog(pluginSearchPath(config), plugins.enabled, plugins.allowUnsafe);
  }
  ChildDescriptorReader reader(probeChildOptions(plugins), plugins.timeout,
                               DescriptorCache::locationFor(config.state));
  return PluginCatalog(pluginSearchPath(config), plugins.enabled, plugins.allowUnsafe, reader);
}

ProcessProbeRunnerOptions probeChildOptions(const PluginsConfig& plugins) {
  ProcessProbeRunnerOptions options;
  options.allowUnsafe = plugins.allowUnsafe;
  options.helper = plugins.probeHelper;  // empty: looked for
  options.strictSandbox = plugins.strictSandbox;
  options.deniedNeeds = plugins.deniedNeeds;
  return options;
}

}  // namespace telemetry
