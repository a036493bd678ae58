#include "jetty_version.hpp"

#include "telemetry/plugins/artifact_name.hpp"
#include "telemetry/plugins/jar_file.hpp"
#include "telemetry/plugins/manifest.hpp"

namespace telemetry::plugins::jetty {

std::optional<std::string> readJettyVersion(const std::filesystem::path& home) {
  std::optional<std::filesystem::path> jar;
  for (const char* artifact : {"jetty-server", "jetty9-server"}) {
    if (!jar) jar = findArtifact(home / "lib", artifact);
  }
  if (!jar) return std::nullopt;
  Manifest manifest = Manifest::of(JarFile(*jar));
  for (const char* attribute : {"Implementation-Version", "Bundle-Version"}) {
    if (auto version = manifest.attribute(attribute); version && !version->empty()) return version;
  }
  for (const char* artifact : {"jetty-server", "jetty9-server"}) {
    if (auto version = artifactVersion(jar->filename().string(), artifact)) return version;
  }
  return std::nullopt;
}

}  // namespace telemetry::plugins::jetty
