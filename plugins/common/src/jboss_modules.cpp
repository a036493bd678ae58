#include "telemetry/plugins/jboss_modules.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "telemetry/plugins/properties.hpp"

namespace telemetry::plugins {

JBossModules::JBossModules(const std::filesystem::path& home) {
  std::filesystem::path modules = home / "modules";
  std::ifstream layersConf(modules / "layers.conf");
  if (layersConf) {
    std::ostringstream text;
    text << layersConf.rdbuf();
    std::string layers = Properties::parse(text.str()).get("layers").value_or("");
    std::istringstream list(layers);
    for (std::string layer; std::getline(list, layer, ',');) {
      auto first = layer.find_first_not_of(" \t");
      auto last = layer.find_last_not_of(" \t");
      if (first == std::string::npos) continue;
      layer = layer.substr(first, last - first + 1);
      if (layer != "base") roots_.push_back(modules / "system" / "layers" / layer);
    }
  }
  roots_.push_back(modules / "system" / "layers" / "base");
  roots_.push_back(modules);
}

std::optional<std::filesystem::path> JBossModules::find(std::string_view name,
                                                        std::string_view slot) const {
  std::filesystem::path relative;
  std::string_view rest = name;
  while (!rest.empty()) {
    std::size_t dot = rest.find('.');
    relative /= std::string(rest.substr(0, dot));
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  relative /= std::string(slot);
  std::error_code ec;
  for (const auto& root : roots_) {
    if (std::filesystem::is_directory(root / relative, ec)) return root / relative;
  }
  return std::nullopt;
}

}  // namespace telemetry::plugins
