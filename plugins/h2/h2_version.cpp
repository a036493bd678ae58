#include "h2_version.hpp"

#include "telemetry/plugins/artifact_name.hpp"
#include "telemetry/plugins/jar_file.hpp"
#include "telemetry/plugins/java_class_file.hpp"
#include "telemetry/plugins/manifest.hpp"

namespace telemetry::plugins::h2 {

std::optional<std::string> readH2Version(const std::filesystem::path& jar) {
  JarFile file(jar);
  Manifest manifest = Manifest::of(file);
  std::optional<std::string> version;
  for (const char* attribute : {"Implementation-Version", "Bundle-Version"}) {
    if (!version) version = manifest.attribute(attribute);
    if (version && version->empty()) version.reset();
  }
  if (!version) version = artifactVersion(jar.filename().string(), "h2");
  if (!version) return std::nullopt;
  std::optional<std::string> buildDate;
  if (auto constants = file.read("org/h2/engine/Constants.class")) {
    try {
      buildDate = stringConstantField(*constants, "BUILD_DATE");
    } catch (const ClassFileError&) {
      // A damaged class only costs the date; the version is still right.
    }
  }
  return buildDate ? *version + " (" + *buildDate + ")" : *version;
}

}  // namespace telemetry::plugins::h2
