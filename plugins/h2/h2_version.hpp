// The version an H2 jar reports about itself, without starting a JVM.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins::h2 {

/// H2's own full version, "<version> (<build date>)" as in Constants.FULL_VERSION, e.g.
/// "2.1.214 (2022-06-13)". The version comes from the manifest (Implementation-Version,
/// else Bundle-Version, else the file name h2-<version>.jar); the build date is the
/// BUILD_DATE constant of org/h2/engine/Constants.class, since the manifest has none.
/// Without a build date the version alone is returned; nullopt when there is no version.
/// Throws JarError when the file is not a readable jar.
std::optional<std::string> readH2Version(const std::filesystem::path& jar);

}  // namespace telemetry::plugins::h2
