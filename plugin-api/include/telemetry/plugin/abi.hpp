// ABI version of the probe plugin interface. The host reads a plugin's version before it
// touches anything else and refuses a plugin whose major differs or whose minor is newer.
#pragma once

#include <cstdint>

namespace telemetry::plugin {

struct AbiVersion {
  std::uint32_t major;
  std::uint32_t minor;
};

/// The ABI these headers describe. Bump the minor for additions at the end of a struct,
/// the major for anything else. 1.1 added Descriptor::needs, 1.2 Descriptor::fieldDocs.
inline constexpr AbiVersion kAbiVersion{1, 2};

/// Exported symbol names (Boost.DLL aliases) every plugin provides.
inline constexpr const char* kAbiSymbol = "telemetry_plugin_abi";
inline constexpr const char* kDescriptorSymbol = "telemetry_plugin_descriptor";

/// True when a host built against `host` can use a plugin built against `plugin`.
constexpr bool isCompatible(AbiVersion host, AbiVersion plugin) {
  return host.major == plugin.major && plugin.minor <= host.minor;
}

}  // namespace telemetry::plugin
