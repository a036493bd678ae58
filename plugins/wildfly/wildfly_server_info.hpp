// The server info a WildFly installation's servlet container reports, rebuilt from files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins::wildfly {

/// What WildFly's Undertow ServletContext.getServerInfo() returns, e.g.
/// "WildFly Full 19.0.0.Final (WildFly Core 11.0.0.Final) - 2.0.30.Final": the product
/// name and version from the product module named by bin/product.conf (ProductConfig), the
/// WildFly Core version from the org.jboss.as.version module jar (Version.AS_VERSION) and
/// the Undertow version from undertow-core's io/undertow/version.properties.
/// nullopt when `home` has no org.jboss.as.version module (not a WildFly).
std::optional<std::string> readServerInfo(const std::filesystem::path& home);

}  // namespace telemetry::plugins::wildfly
