// Reads telemetry.yaml into a validated Config; every problem is a ConfigError that names
// the file, the line and the key.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/config.hpp"
#include "telemetry/config_error.hpp"

namespace telemetry {

/// Parses YAML text; `file` names it in messages and anchors relative paths.
Config parseConfig(const std::string& yaml, const std::filesystem::path& file);

/// Reads and parses a file; a missing or unreadable file is a ConfigError too.
Config loadConfig(const std::filesystem::path& file);

/// The config file to use: `--config`, else $TELEMETRY_CONFIG, else ./telemetry.yaml,
/// else /etc/telemetry/telemetry.yaml; nullopt means built-in defaults.
std::optional<std::filesystem::path> locateConfig(const std::optional<std::string>& option);

/// The configuration the CLI and the C API run with: the file locateConfig() finds, loaded,
/// or the built-in defaults when there is none.
Config loadEffectiveConfig(const std::optional<std::string>& option);

/// The directory of the first-party plugins shipped with this build or installation
/// ($TELEMETRY_PLUGIN_DIR overrides it).
std::filesystem::path defaultPluginDirectory();

/// `plugins.paths`, or the default plugin directory when none are configured.
std::vector<std::filesystem::path> pluginSearchPath(const Config& config);

}  // namespace telemetry
