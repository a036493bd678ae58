// A jar's META-INF/MANIFEST.MF, as java.util.jar.Manifest reads it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace telemetry::plugins {

class JarFile;

/// The main section of a manifest. Attribute names are case-insensitive, as in the JAR
/// specification; a line starting with one space continues the previous value.
class Manifest {
 public:
  static Manifest parse(std::string_view text);
  /// The manifest of `jar`, or an empty one when it has none.
  static Manifest of(const JarFile& jar);

  std::optional<std::string> attribute(std::string_view name) const;
  bool empty() const { return attributes_.empty(); }

 private:
  struct CaseInsensitiveLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };
  std::map<std::string, std::string, CaseInsensitiveLess> attributes_;
};

}  // namespace telemetry::plugins
