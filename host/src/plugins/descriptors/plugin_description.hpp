// What loading a plugin file taught about it (PluginInfo without file and enabled) as JSON:
// what `telemetry-probe --describe` answers and what the DescriptorCache keeps. Both come
// from outside the host (a plugin's code ran in the child; anyone may have edited the cache
// file), so reading one checks it like the catalog checks a descriptor.
#pragma once

#include <Poco/JSON/Object.h>

#include "plugins/plugin_info.hpp"

namespace telemetry {

/// name, version, section, description, abi ("1.0" or null), state, needs and the
/// documented fields ([{pointer, description, purpose}]).
Poco::JSON::Object::Ptr descriptionToJson(const PluginInfo& info);

/// Sets those members of `info` from `json`. Throws std::runtime_error saying what is wrong:
/// a member of the wrong type, too long or not UTF-8 text, a state other than "loaded" or
/// "refused: ...", documented fields that break checkFieldDocs' rules, or a "loaded" plugin without
/// name, with an incompatible ABI or with a section it may not fill.
void descriptionFromJson(const Poco::JSON::Object& json, PluginInfo& info);

}  // namespace telemetry
