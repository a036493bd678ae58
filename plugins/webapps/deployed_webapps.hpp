// Finds the Camunda web applications (cockpit, admin, tasklist, welcome) in deployment
// directories.
#pragma once

#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace telemetry::plugins::webapps {

/// The names the report uses, in the order it lists them.
inline constexpr std::array<std::string_view, 4> kWebappNames = {"cockpit", "admin", "tasklist",
                                                                 "welcome"};

/// Adds to `found` the apps deployed in `directory`. A deployment counts when it is a war
/// file or an exploded directory directly in `directory`, its name (without ".war") starts
/// with "camunda" (camunda-webapp-*.war as shipped, or "camunda" as the distributions
/// rename it), it is a web application (has WEB-INF/), and it carries app/<name>/, where
/// the Camunda webapp keeps each application's pages. Throws JarError for unreadable wars.
void scanDeployments(const std::filesystem::path& directory, std::set<std::string>& found);

}  // namespace telemetry::plugins::webapps
