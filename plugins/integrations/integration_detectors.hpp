// Recognises each Camunda integration by what it leaves on disk.
#pragma once

#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace telemetry::plugins::integrations {

/// The names the report uses, in the order it lists them.
inline constexpr std::array<std::string_view, 4> kIntegrationNames = {
    "spring-boot-starter", "camunda-bpm-run", "wildfly-integration", "camunda-ejb-service"};

/// An application to inspect: a jar/war file or a directory. Finds "spring-boot-starter"
/// (a camunda-bpm-spring-boot-starter*.jar in BOOT-INF/lib/ or WEB-INF/lib/ of the archive,
/// of an exploded archive, or of any jar directly in the directory) and "camunda-bpm-run"
/// (a directory with internal/camunda-bpm-run-core*.jar and configuration/default.yml).
void inspectApplication(const std::filesystem::path& app, std::set<std::string>& found);

/// "wildfly-integration" when the camunda WildFly (or JBoss AS 7) subsystem module is
/// installed under `jbossHome`.
void inspectJBossHome(const std::filesystem::path& jbossHome, std::set<std::string>& found);

/// "camunda-ejb-service" when `directory` holds camunda-ejb-service*.jar, directly or
/// inside an .ear.
void inspectDeployments(const std::filesystem::path& directory, std::set<std::string>& found);

}  // namespace telemetry::plugins::integrations
