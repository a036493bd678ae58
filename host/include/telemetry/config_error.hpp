// A configuration problem a user can fix, located as `file:line: message`.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace telemetry {

class ConfigError : public std::runtime_error {
 public:
  /// `line` is 1-based; 0 when the problem has no line (e.g. the file is missing).
  ConfigError(const std::filesystem::path& file, int line, const std::string& message)
      : std::runtime_error(format(file, line, message)), line_(line) {}

  int line() const { return line_; }

 private:
  static std::string format(const std::filesystem::path& file, int line,
                            const std::string& message) {
    std::string where = file.empty() ? std::string("<config>") : file.string();
    if (line > 0) where += ":" + std::to_string(line);
    return where + ": " + message;
  }
  int line_;
};

}  // namespace telemetry
