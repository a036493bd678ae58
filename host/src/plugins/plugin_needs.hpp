// A plugin's declared needs (plugin/needs.hpp) as the host reads, names and grants them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/plugin/abi.hpp"
#include "telemetry/plugin/descriptor.hpp"
#include "telemetry/plugin/needs.hpp"

namespace telemetry {

/// Every need the host knows, in the order they are shown.
inline constexpr plugin::Need kKnownNeeds[] = {plugin::Need::network};

/// What `descriptor` declares; nothing for a plugin built before ABI 1.1, whose descriptor
/// ends before the field. Unknown bits (a newer SDK) are dropped: they cannot be granted.
plugin::Needs declaredNeeds(const plugin::Descriptor& descriptor, plugin::AbiVersion abi);

/// "network", as written in YAML and shown by `telemetry plugins`.
std::string_view nameOf(plugin::Need need);
std::optional<plugin::Need> needNamed(std::string_view name);
std::vector<std::string> needNames();

/// What the child of `plugin` may use: its declared needs minus those the operator denies
/// (`plugins.deny`, plugin name -> needs).
plugin::Needs grantedNeeds(const std::string& plugin, plugin::Needs declared,
                           const std::map<std::string, plugin::Needs>& denied);

}  // namespace telemetry
