// What a plugin needs beyond reading files, declared in its descriptor (ABI 1.1). In process
// mode the probe's child is confined to what its plugin declared: nothing declared means no
// network; writing files is never allowed.
#pragma once

#include <cstdint>
#include <initializer_list>

namespace telemetry::plugin {

/// One thing a plugin may declare it needs; a bit of `Needs`.
enum class Need : std::uint32_t {
  network = 1u << 0,  ///< IPv4/IPv6 (and netlink, packet) sockets, e.g. a database client
};

/// A set of Need bits, as stored in Descriptor::needs.
using Needs = std::uint32_t;

/// The set holding `needs`: needsOf({Need::network}).
constexpr Needs needsOf(std::initializer_list<Need> needs) {
  Needs bits = 0;
  for (Need need : needs) bits |= static_cast<Needs>(need);
  return bits;
}

constexpr bool contains(Needs needs, Need need) { return (needs & static_cast<Needs>(need)) != 0; }

}  // namespace telemetry::plugin
