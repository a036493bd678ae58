#include "plugins/plugin_catalog.hpp"

#include <algorithm>
#include <set>

#include "config/logging.hpp"
#include "plugins/descriptor_rules.hpp"
#include "plugins/descriptors/descriptor_reader.hpp"
#include "plugins/documented_field.hpp"
#include "plugins/elf_exports.hpp"
#include "plugins/plugin_file_safety.hpp"
#include "plugins/plugin_needs.hpp"
#include "telemetry/plugin/suggest.hpp"
#include "telemetry/settings/did_you_mean.hpp"

namespace telemetry {
namespace {

namespace fs = std::filesystem;

/// Why a descriptor cannot be used, or "" when it can.
std::string checkDescriptor(const plugin::Descriptor& d) {
  if (d.name == nullptr || *d.name == '\0') return "the descriptor has no name";
  if (d.create == nullptr || d.destroy == nullptr || d.collect == nullptr) {
    return "the descriptor lacks an entry point";
  }
  return sectionClaimProblem(d.section == nullptr ? "" : d.section);
}

/// Whether a refused file is probably the plugin `name`: a refusal before its descriptor
/// was read leaves only the file name, which the build spells with '_' (mock_good.so).
bool couldBe(const PluginInfo& refused, const std::string& name) {
  std::string stem = refused.file.stem().string();
  std::replace(stem.begin(), stem.end(), '_', '-');
  return refused.name == name || stem == name;
}

std::vector<fs::path> pluginFiles(const fs::path& directory) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    logger("telemetry.catalog")
        ->warn("plugin directory {} does not exist or is not a directory", directory.string());
    return files;
  }
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  }
  if (ec) {
    logger("telemetry.catalog")
        ->warn("cannot list plugin directory {}: {}", directory.string(), ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

DescriptorReader& inHost() {
  static InHostDescriptorReader reader;
  return reader;
}

/// Every plugin file of `directories` in order, checked without loading; the descriptors
/// of those that pass are read by `reader`.
std::vector<DescriptorReader::Candidate> describe(const std::vector<fs::path>& directories,
                                                  bool allowUnsafe, DescriptorReader& reader) {
  std::vector<DescriptorReader::Candidate> all, unread;
  std::vector<std::size_t> unreadAt;
  for (const fs::path& directory : directories) {
    for (const fs::path& file : pluginFiles(directory)) {
      PluginInfo info = PluginCatalog::checkBeforeLoading(file, allowUnsafe);
      if (info.state.empty()) {
        unreadAt.push_back(all.size());
        unread.push_back({info, nullptr});
      }
      all.push_back({std::move(info), nullptr});
    }
  }
  reader.read(unread);
  for (std::size_t i = 0; i < unread.size(); ++i) all[unreadAt[i]] = std::move(unread[i]);
  return all;
}

}  // namespace

PluginCatalog::PluginCatalog(const std::vector<std::filesystem::path>& directories,
                             const std::vector<EnabledPlugin>& enabled, bool allowUnsafe)
    : PluginCatalog(directories, enabled, allowUnsafe, inHost()) {}

PluginCatalog::PluginCatalog(const std::vector<std::filesystem::path>& directories,
                             const std::vector<EnabledPlugin>& enabled, bool allowUnsafe,
                             DescriptorReader& reader) {
  auto log = logger("telemetry.catalog");
  auto isEnabled = [&](const std::string& name) {
    return std::any_of(enabled.begin(), enabled.end(),
                       [&](const EnabledPlugin& e) { return e.name == name; });
  };
  std::set<std::string> names;
  for (DescriptorReader::Candidate& candidate : describe(directories, allowUnsafe, reader)) {
    PluginInfo& info = candidate.info;
    std::shared_ptr<LoadedPlugin>& loaded = candidate.plugin;
    info.enabled = isEnabled(info.name);
    if (info.usable() && !names.insert(info.name).second) {
      auto first = std::find_if(plugins_.begin(), plugins_.end(), [&](const PluginInfo& p) {
        return p.name == info.name && p.usable();
      });
      info.state = "refused: duplicate of plugin '" + info.name + "' in " + first->file.string();
      loaded.reset();
    }
    if (!info.usable()) {
      log->warn("plugin file {}: {}", info.file.string(), info.state);
    } else if (info.enabled) {
      loaded_.push_back(loaded);
    }
    plugins_.push_back(std::move(info));
  }
  std::vector<std::string> found;
  for (const PluginInfo& p : plugins_) found.push_back(p.name);
  for (const EnabledPlugin& e : enabled) {
    if (names.count(e.name) != 0) continue;
    // A refused file of that name is already listed, with why: not a second, "missing" line.
    auto refused = std::find_if(plugins_.begin(), plugins_.end(),
                                [&](const PluginInfo& p) { return couldBe(p, e.name); });
    if (refused != plugins_.end()) {
      refused->enabled = true;
      log->error("enabled plugin '{}' is not available: {}", e.name, refused->state);
      continue;
    }
    std::string where;
    for (const fs::path& d : directories) where += (where.empty() ? "" : ", ") + d.string();
    PluginInfo missing;
    missing.name = e.name;
    missing.enabled = true;
    missing.state = "missing: no usable plugin named '" + e.name + "' in " +
                    (where.empty() ? std::string("(no plugin directories)") : where) +
                    settings::didYouMean(e.name, found);
    log->error("enabled plugin '{}' is not available: {}", e.name, missing.state);
    plugins_.push_back(std::move(missing));
  }
}

PluginInfo PluginCatalog::inspect(const fs::path& file, bool allowUnsafe,
                                  std::shared_ptr<LoadedPlugin>& loaded) {
  PluginInfo info = checkBeforeLoading(file, allowUnsafe);
  if (info.state.empty()) load(info, loaded);
  return info;
}

PluginInfo PluginCatalog::checkBeforeLoading(const fs::path& file, bool allowUnsafe) {
  PluginInfo info;
  info.name = file.stem().string();
  info.file = file;
  // Anyone who can replace the file can run code in the host, so check before reading it.
  if (auto why = whyUnsafe(file)) {
    if (!allowUnsafe) {
      info.state = "refused: unsafe: " + *why + "; plugins.allow-unsafe: true loads it anyway";
      return info;
    }
    logger("telemetry.catalog")
        ->warn("loading {} although {} (plugins.allow-unsafe)", file.string(), *why);
  }
  // Look at the exported symbols before loading, so a foreign library's initialisers never
  // run in the host.
  try {
    std::vector<std::string> symbols = readElfExports(file);
    for (const char* wanted : {plugin::kAbiSymbol, plugin::kDescriptorSymbol}) {
      if (std::find(symbols.begin(), symbols.end(), wanted) == symbols.end()) {
        info.state = std::string("refused: not a telemetry plugin (no ") + wanted + " symbol)";
        return info;
      }
    }
  } catch (const std::exception& e) {
    info.state = std::string("refused: not a loadable shared object (") + e.what() + ")";
  }
  return info;
}

void PluginCatalog::load(PluginInfo& info, std::shared_ptr<LoadedPlugin>& loaded) {
  const fs::path& file = info.file;
  boost::dll::shared_library library;
  try {
    library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    info.state = std::string("refused: cannot load: ") + e.what();
    return;
  }
  const auto& abi = library.get_alias<const plugin::AbiVersion>(plugin::kAbiSymbol);
  info.abi = abi;
  if (!plugin::isCompatible(plugin::kAbiVersion, abi)) {
    info.state = "refused: ABI " + abiText(abi) + ", host supports " +
                 std::to_string(plugin::kAbiVersion.major) + ".x up to " +
                 abiText(plugin::kAbiVersion);
    return;
  }
  const auto& descriptor = library.get_alias<const plugin::Descriptor>(plugin::kDescriptorSymbol);
  if (std::string problem = checkDescriptor(descriptor); !problem.empty()) {
    info.state = "refused: " + problem;
    return;
  }
  info.name = descriptor.name;
  info.version = descriptor.version == nullptr ? "" : descriptor.version;
  info.section = descriptor.section;
  info.description = descriptor.description == nullptr ? "" : descriptor.description;
  info.needs = declaredNeeds(descriptor, abi);
  try {
    info.fields = declaredFieldDocs(descriptor, abi);
  } catch (const std::exception& e) {
    info.state = std::string("refused: ") + printable(e.what(), 200);
    return;
  }
  info.state = "loaded";
  loaded = std::make_shared<LoadedPlugin>(std::move(library), descriptor, info);
}

std::shared_ptr<const LoadedPlugin> PluginCatalog::find(const std::string& name) const {
  for (const auto& plugin : loaded_) {
    if (plugin->info().name == name) return plugin;
  }
  return nullptr;
}

}  // namespace telemetry
