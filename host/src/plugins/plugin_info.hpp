// What the host knows about one plugin file, as shown by `telemetry plugins`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plugins/documented_field.hpp"
#include "telemetry/plugin/abi.hpp"
#include "telemetry/plugin/needs.hpp"

namespace telemetry {

struct PluginInfo {
  std::string name;  ///< the descriptor's name; the file name when it could not be read
  std::filesystem::path file;
  std::optional<plugin::AbiVersion> abi;
  std::string version;
  std::string section;
  std::string description;
  plugin::Needs needs = 0;  ///< what the descriptor declares (ABI 1.1); nothing for a 1.0 plugin
  /// What its section's fields mean (ABI 1.2); none when it documents nothing.
  std::vector<DocumentedField> fields;
  bool enabled = false;
  /// "loaded", "refused: <reason>", or "missing: <reason>" for an enabled plugin not found.
  std::string state;

  bool usable() const { return state == "loaded"; }
};

}  // namespace telemetry
