// The server info a WebSphere installation's servlet container reports, rebuilt from files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins::websphere {

/// What ServletContext.getServerInfo() returns on the installation at `home`:
/// - traditional (the WAS install root): "IBM WebSphere Application Server/<major.minor>"
///   from the <version> of properties/version/WAS.product;
/// - Liberty (the `wlp` directory, or the directory holding it): "IBM WebSphere
///   Liberty/<version>" from com.ibm.websphere.productVersion in
///   lib/versions/WebSphereApplicationServer.properties, else openliberty.properties.
/// nullopt when neither is there; throws (naming the file) when one is unreadable or
/// malformed.
std::optional<std::string> readServerInfo(const std::filesystem::path& home);

}  // namespace telemetry::plugins::websphere
