#include "telemetry/settings/config_error.hpp"

namespace telemetry::settings {
namespace {

std::string located(const std::filesystem::path& file, int line, const std::string& message) {
  std::string where = file.empty() ? std::string("<config>") : file.string();
  if (line > 0) where += ":" + std::to_string(line);
  return where + ": " + message;
}

}  // namespace

ConfigError::ConfigError(const std::filesystem::path& file, int line, const std::string& message)
    : std::runtime_error(located(file, line, message)), line_(line) {}

ConfigError::ConfigError(const std::string& message) : std::runtime_error(message) {}

}  // namespace telemetry::settings
