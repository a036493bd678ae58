// Finds plugin files in the configured directories, checks each before and while loading
// it, and keeps the enabled ones loaded.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_info.hpp"
#include "telemetry/config.hpp"

namespace telemetry {

class DescriptorReader;

class PluginCatalog {
 public:
  /// Scans `directories` in order for `*.so` files. Problems are logged (one line each) and
  /// recorded in the plugin's state; nothing here throws for a bad plugin. Unsafe files (see
  /// whyUnsafe()) are refused unless `allowUnsafe` (`plugins.allow-unsafe`).
  PluginCatalog(const std::vector<std::filesystem::path>& directories,
                const std::vector<EnabledPlugin>& enabled, bool allowUnsafe = false);
  /// As above, but the descriptors of the files that pass the host's own checks (safety,
  /// exported symbols) are read by `reader`: in process isolation, in telemetry-probe
  /// children, so no plugin code runs in the host.
  PluginCatalog(const std::vector<std::filesystem::path>& directories,
                const std::vector<EnabledPlugin>& enabled, bool allowUnsafe,
                DescriptorReader& reader);

  /// Every plugin file found, then every enabled plugin that was not found.
  const std::vector<PluginInfo>& plugins() const { return plugins_; }

  /// The loaded plugin of that name, or nullptr unless it is enabled and usable.
  std::shared_ptr<const LoadedPlugin> find(const std::string& name) const;

  /// Checks one file (safety, symbols, ABI, descriptor) and loads it: `loaded` is set when
  /// the returned state is "loaded". The telemetry-probe child loads its plugin this way.
  static PluginInfo inspect(const std::filesystem::path& file, bool allowUnsafe,
                            std::shared_ptr<LoadedPlugin>& loaded);
  /// The checks of inspect() that need no loading: file safety and exported symbols. The
  /// state is "refused: ..." when one fails and empty when the file may be loaded.
  static PluginInfo checkBeforeLoading(const std::filesystem::path& file, bool allowUnsafe);
  /// The rest of inspect(): loads a file checkBeforeLoading() passed into this process and
  /// reads its ABI version and descriptor into `info`.
  static void load(PluginInfo& info, std::shared_ptr<LoadedPlugin>& loaded);

 private:
  std::vector<PluginInfo> plugins_;
  std::vector<std::shared_ptr<const LoadedPlugin>> loaded_;
};

}  // namespace telemetry
