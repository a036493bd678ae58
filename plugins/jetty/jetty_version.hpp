// The version of a Jetty installation, as its server jar declares it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins::jetty {

/// The version of lib/jetty-server-*.jar (or Debian's lib/jetty9-server.jar) under `home`:
/// its manifest's Implementation-Version, else Bundle-Version, else the file name's version.
/// nullopt when there is no server jar; throws JarError when it cannot be read.
std::optional<std::string> readJettyVersion(const std::filesystem::path& home);

}  // namespace telemetry::plugins::jetty
