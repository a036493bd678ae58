// A configuration problem a user can fix, located as `file:line: message`.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace telemetry::settings {

/// Thrown for anything wrong in a configuration; its text names file, line and field.
class ConfigError : public std::runtime_error {
 public:
  /// `line` is 1-based; 0 when the problem has no line (e.g. the file is missing).
  ConfigError(const std::filesystem::path& file, int line, const std::string& message);
  /// A problem found outside the configuration file (a schema or certificate that will not load).
  explicit ConfigError(const std::string& message);

  int line() const { return line_; }

 private:
  int line_ = 0;
};

}  // namespace telemetry::settings
