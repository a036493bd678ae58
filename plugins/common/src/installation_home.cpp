#include "telemetry/plugins/installation_home.hpp"

#include <cstdlib>
#include <system_error>

namespace telemetry::plugins {

std::optional<InstallationHome> InstallationHome::resolve(const Settings& settings,
                                                          std::string_view setting,
                                                          std::string_view environmentVariable) {
  if (auto configured = settings.string(setting); configured && !configured->empty()) {
    return InstallationHome(*configured, "setting '" + std::string(setting) + "'", true);
  }
  const char* fromEnvironment = std::getenv(std::string(environmentVariable).c_str());
  if (fromEnvironment != nullptr && *fromEnvironment != '\0') {
    return InstallationHome(fromEnvironment, std::string(environmentVariable), false);
  }
  return std::nullopt;
}

bool InstallationHome::exists() const {
  std::error_code ec;
  return std::filesystem::is_directory(path_, ec);
}

plugin::Result InstallationHome::missing(const std::string& what) const {
  std::string message = "'" + path_.string() + "' (from " + origin_ + ") " + what;
  return configured_ ? plugin::Result::error(message) : plugin::Result::notApplicable(message);
}

}  // namespace telemetry::plugins
