// The installation directory of an application server: from the plugin's `home` setting,
// else from the server's own environment variable (CATALINA_HOME, JBOSS_HOME, ...).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "telemetry/plugin/result.hpp"
#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins {

class InstallationHome {
 public:
  /// nullopt when neither the setting nor the environment variable is set (non-empty).
  static std::optional<InstallationHome> resolve(const Settings& settings, std::string_view setting,
                                                 std::string_view environmentVariable);

  const std::filesystem::path& path() const { return path_; }
  /// "setting 'home'" or "CATALINA_HOME", for messages.
  const std::string& origin() const { return origin_; }
  bool exists() const;

  /// What to return when the installation lacks what the probe needs: an error when the
  /// operator configured the home explicitly, "not applicable" when it came from the
  /// environment (the variable may be left over from another installation).
  plugin::Result missing(const std::string& what) const;

 private:
  InstallationHome(std::filesystem::path path, std::string origin, bool configured)
      : path_(std::move(path)), origin_(std::move(origin)), configured_(configured) {}
  std::filesystem::path path_;
  std::string origin_;
  bool configured_;
};

}  // namespace telemetry::plugins
