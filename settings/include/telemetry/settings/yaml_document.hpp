// A YAML configuration file's text, read and parsed, with every problem a ConfigError at
// its line.
#pragma once

#include <filesystem>
#include <string>

#include <yaml-cpp/yaml.h>

namespace telemetry::settings {

/// The 1-based line of `node`; 0 for a node that is not there or has no place.
int lineOf(const YAML::Node& node);

/// The whole text of `file`; a ConfigError "cannot read configuration file" when it cannot.
std::string readConfigFile(const std::filesystem::path& file);

/// Parses `text`; a syntax error is a ConfigError "invalid YAML: ..." at its line, naming
/// `shownAs` (the file as messages call it).
YAML::Node parseYaml(const std::string& text, const std::filesystem::path& shownAs);

}  // namespace telemetry::settings
