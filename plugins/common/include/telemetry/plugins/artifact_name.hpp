// Versions carried in Maven-style file names, e.g. "undertow-core-2.0.30.Final.jar".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace telemetry::plugins {

/// The version in `fileName` (a name or a path, directories ignored) when it is
/// `<artifactId>-<version>.jar`; the version must start with a digit, so that
/// "undertow-core-deps-1.jar" is not taken for artifact "undertow-core".
std::optional<std::string> artifactVersion(std::string_view fileName, std::string_view artifactId,
                                           std::string_view extension = ".jar");

/// True when `fileName` is `<artifactId>.jar` or `<artifactId>-<version>.jar`.
bool isArtifact(std::string_view fileName, std::string_view artifactId,
                std::string_view extension = ".jar");

/// The first file (by name) directly in `directory` that is the artifact, or nullopt.
std::optional<std::filesystem::path> findArtifact(const std::filesystem::path& directory,
                                                  std::string_view artifactId,
                                                  std::string_view extension = ".jar");

}  // namespace telemetry::plugins
