// TELEMETRY_PLUGIN(...) exports a probe class as a plugin the host can load.
#pragma once

#include <boost/dll/alias.hpp>

#include "telemetry/plugin/abi.hpp"
#include "telemetry/plugin/descriptor.hpp"

/// Use once per plugin, at namespace scope in one source file:
///   TELEMETRY_PLUGIN(JdkProbe, "jdk", "1.0.0", "/product/internals/jdk", "JDK vendor and version")
/// What the probe needs follows the description (none: no network; see needs.hpp):
///   TELEMETRY_PLUGIN(PgProbe, "postgresql", "1.0.0", "/product/internals/database",
///                    "PostgreSQL version", telemetry::plugin::Need::network)
/// The fields of the section are documented by the probe class's static `kFields` (see
/// field_doc.hpp), if it has one.
/// The exception wrappers are instantiated here, inside the plugin, so no exception ever
/// unwinds into the host.
#define TELEMETRY_PLUGIN(ProbeClass, Name, Version, Section, Description, ...)  \
  namespace telemetry_plugin_export {                                           \
  extern const ::telemetry::plugin::AbiVersion abi;                             \
  const ::telemetry::plugin::AbiVersion abi = ::telemetry::plugin::kAbiVersion; \
  extern const ::telemetry::plugin::Descriptor descriptor;                      \
  const ::telemetry::plugin::Descriptor descriptor = {                          \
      Name,                                                                     \
      Version,                                                                  \
      Section,                                                                  \
      Description,                                                              \
      &::telemetry::plugin::detail::create<ProbeClass>,                         \
      &::telemetry::plugin::detail::destroy<ProbeClass>,                        \
      &::telemetry::plugin::detail::collect<ProbeClass>,                        \
      ::telemetry::plugin::needsOf({__VA_ARGS__}),                              \
      ::telemetry::plugin::detail::fieldDocsOf<ProbeClass>()};                  \
  }                                                                             \
  BOOST_DLL_ALIAS(telemetry_plugin_export::abi, telemetry_plugin_abi)           \
  BOOST_DLL_ALIAS(telemetry_plugin_export::descriptor, telemetry_plugin_descriptor)
