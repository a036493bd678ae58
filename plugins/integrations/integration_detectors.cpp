#include "integration_detectors.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "telemetry/plugins/jar_file.hpp"
#include "telemetry/plugins/jboss_modules.hpp"

namespace telemetry::plugins::integrations {
namespace {

constexpr std::string_view kStarterPrefix = "camunda-bpm-spring-boot-starter";

std::string baseName(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Every starter variant (-rest, -webapp, ...) pulls in the starter, so the prefix suffices.
bool isStarterJar(std::string_view path) {
  std::string name = baseName(path);
  return name.starts_with(kStarterPrefix) && name.ends_with(".jar");
}

std::vector<std::filesystem::path> filesIn(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file(ec)) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool archiveHasStarter(const std::filesystem::path& archive) {
  JarFile jar(archive);
  for (const char* lib : {"BOOT-INF/lib/", "WEB-INF/lib/"}) {
    for (const std::string& entry : jar.entryNames(lib)) {
      if (isStarterJar(entry)) return true;
    }
  }
  return false;
}

bool directoryHasStarter(const std::filesystem::path& dir) {
  for (const char* lib : {"BOOT-INF/lib", "WEB-INF/lib"}) {
    for (const auto& file : filesIn(dir / lib)) {
      if (isStarterJar(file.string())) return true;
    }
  }
  for (const auto& file : filesIn(dir)) {
    if (isStarterJar(file.string())) return true;
    if ((file.extension() == ".jar" || file.extension() == ".war") && archiveHasStarter(file)) {
      return true;
    }
  }
  return false;
}

bool isRunDistribution(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / "configuration" / "default.yml", ec)) return false;
  for (const auto& file : filesIn(dir / "internal")) {
    std::string name = file.filename().string();
    if (name.starts_with("camunda-bpm-run-core") && name.ends_with(".jar")) return true;
  }
  return false;
}

}  // namespace

void inspectApplication(const std::filesystem::path& app, std::set<std::string>& found) {
  std::error_code ec;
  if (std::filesystem::is_directory(app, ec)) {
    if (isRunDistribution(app)) {
      found.insert("camunda-bpm-run");
      // Run is itself a Spring Boot application built on the starter.
      if (directoryHasStarter(app / "internal")) found.insert("spring-boot-starter");
    }
    if (directoryHasStarter(app)) found.insert("spring-boot-starter");
  } else if (archiveHasStarter(app)) {
    found.insert("spring-boot-starter");
  }
}

void inspectJBossHome(const std::filesystem::path& jbossHome, std::set<std::string>& found) {
  JBossModules modules(jbossHome);
  if (modules.find("org.camunda.bpm.wildfly.camunda-wildfly-subsystem") ||
      modules.find("org.camunda.bpm.jboss.camunda-jboss-subsystem")) {
    found.insert("wildfly-integration");
  }
}

void inspectDeployments(const std::filesystem::path& directory, std::set<std::string>& found) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with("camunda-ejb-service") && name.ends_with(".jar")) {
      found.insert("camunda-ejb-service");
      return;
    }
    if (name.ends_with(".ear") && it->is_regular_file(ec)) {
      for (const std::string& entry : JarFile(it->path()).entryNames()) {
        std::string entryName = baseName(entry);
        if (entryName.starts_with("camunda-ejb-service") && entryName.ends_with(".jar")) {
          found.insert("camunda-ejb-service");
          return;
        }
      }
    }
  }
}

}  // namespace telemetry::plugins::integrations
