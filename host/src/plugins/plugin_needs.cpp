#include "plugins/plugin_needs.hpp"

namespace telemetry {

plugin::Needs declaredNeeds(const plugin::Descriptor& descriptor, plugin::AbiVersion abi) {
  if (abi.major != 1 || abi.minor < 1) return 0;
  plugin::Needs known = 0;
  for (plugin::Need need : kKnownNeeds) known |= static_cast<plugin::Needs>(need);
  return descriptor.needs & known;
}

std::string_view nameOf(plugin::Need need) {
  switch (need) {
    case plugin::Need::network:
      return "network";
  }
  return "unknown";
}

std::optional<plugin::Need> needNamed(std::string_view name) {
  for (plugin::Need need : kKnownNeeds) {
    if (nameOf(need) == name) return need;
  }
  return std::nullopt;
}

std::vector<std::string> needNames() {
  std::vector<std::string> names;
  for (plugin::Need need : kKnownNeeds) names.emplace_back(nameOf(need));
  return names;
}

plugin::Needs grantedNeeds(const std::string& plugin, plugin::Needs declared,
                           const std::map<std::string, plugin::Needs>& denied) {
  auto it = denied.find(plugin);
  return it == denied.end() ? declared : declared & ~it->second;
}

}  // namespace telemetry
