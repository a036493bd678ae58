// What Tomcat's org.apache.catalina.util.ServerInfo reports for an installation.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins::tomcat {

/// The `server.info` of the installation at `home`, e.g. "Apache Tomcat/10.1.60". Like
/// Tomcat's common class loader, an operator's lib/org/apache/catalina/util/
/// ServerInfo.properties overrides the one in lib/catalina.jar. nullopt when neither exists;
/// throws JarError when catalina.jar cannot be read.
std::optional<std::string> readServerInfo(const std::filesystem::path& home);

}  // namespace telemetry::plugins::tomcat
