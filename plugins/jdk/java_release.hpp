// The `release` file at the root of a JDK or JRE (JAVA_VERSION="17.0.15", IMPLEMENTOR=...).
// Its IMPLEMENTOR is what the runtime reports as java.vendor, so reading it gives the same
// answer as starting a JVM, in microseconds.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace telemetry::plugins::jdk {

class JavaRelease {
 public:
  /// Reads `<javaHome>/release`; nullopt when there is none.
  static std::optional<JavaRelease> read(const std::filesystem::path& javaHome);
  /// Parses the file's text: KEY="value" lines, quotes optional.
  static JavaRelease parse(const std::string& text);

  std::optional<std::string> get(const std::string& key) const;

 private:
  std::map<std::string, std::string> values_;
};

/// The Java home to inspect: the `java-home` setting, else $JAVA_HOME, else the directory
/// above the `bin/java` found on $PATH (symlinks resolved). nullopt when there is none.
std::optional<std::filesystem::path> locateJavaHome(const std::optional<std::string>& setting);

}  // namespace telemetry::plugins::jdk
