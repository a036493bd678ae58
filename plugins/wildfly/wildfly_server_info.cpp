#include "wildfly_server_info.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "telemetry/plugins/artifact_name.hpp"
#include "telemetry/plugins/jar_file.hpp"
#include "telemetry/plugins/jboss_modules.hpp"
#include "telemetry/plugins/manifest.hpp"
#include "telemetry/plugins/properties.hpp"
#include "telemetry/plugins/text_file.hpp"

namespace telemetry::plugins::wildfly {
namespace {

std::vector<std::filesystem::path> jarsIn(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> jars;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".jar" && it->is_regular_file(ec)) jars.push_back(it->path());
  }
  std::sort(jars.begin(), jars.end());
  return jars;
}

// A module's META-INF/MANIFEST.MF: from an exploded resource root ("dir", as the product
// module uses) or from its first jar.
Manifest moduleManifest(const std::filesystem::path& module) {
  if (auto text = readTextFile(module / "dir" / "META-INF" / "MANIFEST.MF")) {
    return Manifest::parse(*text);
  }
  for (const auto& jar : jarsIn(module)) {
    Manifest manifest = Manifest::of(JarFile(jar));
    if (!manifest.empty()) return manifest;
  }
  return {};
}

std::optional<std::string> nonEmpty(std::optional<std::string> value) {
  if (value && value->empty()) return std::nullopt;
  return value;
}

// ProductConfig: the product name unless the manifest names a project instead.
std::optional<std::string> productPrefix(const std::filesystem::path& home,
                                         const JBossModules& modules) {
  auto conf = readTextFile(home / "bin" / "product.conf");
  if (!conf) return std::nullopt;
  auto slot = nonEmpty(Properties::parse(*conf).get("slot"));
  if (!slot) return std::nullopt;
  auto module = modules.find("org.jboss.as.product", *slot);
  if (!module) return std::nullopt;
  Manifest manifest = moduleManifest(*module);
  auto product = nonEmpty(manifest.attribute("JBoss-Product-Release-Name"));
  auto project = manifest.attribute("JBoss-Project-Release-Name");
  auto name = product && !project ? product : project;
  if (!name) return std::nullopt;
  auto version = manifest.attribute("JBoss-Product-Release-Version");
  return version ? *name + " " + *version : *name;
}

struct CoreVersion {
  std::string version;
  std::string codename;
};

std::optional<CoreVersion> coreVersion(const JBossModules& modules) {
  auto module = modules.find("org.jboss.as.version");
  if (!module) return std::nullopt;
  for (const auto& jar : jarsIn(*module)) {
    Manifest manifest = Manifest::of(JarFile(jar));
    auto version = nonEmpty(manifest.attribute("JBossAS-Release-Version"));
    if (!version) version = artifactVersion(jar.filename().string(), "wildfly-version");
    if (!version) continue;
    std::string codename = manifest.attribute("JBossAS-Release-Codename").value_or("");
    if (codename == "N/A") codename.clear();
    return CoreVersion{*version, codename};
  }
  return std::nullopt;
}

std::optional<std::string> undertowVersion(const JBossModules& modules) {
  auto module = modules.find("io.undertow.core");
  if (!module) return std::nullopt;
  for (const auto& jar : jarsIn(*module)) {
    if (!isArtifact(jar.filename().string(), "undertow-core")) continue;
    if (auto text = JarFile(jar).read("io/undertow/version.properties")) {
      if (auto version = nonEmpty(Properties::parse(*text).get("undertow.version"))) {
        return version;
      }
    }
    return artifactVersion(jar.filename().string(), "undertow-core");
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> readServerInfo(const std::filesystem::path& home) {
  JBossModules modules(home);
  auto core = coreVersion(modules);
  if (!core) return std::nullopt;
  std::string info;
  if (auto product = productPrefix(home, modules)) {
    info = *product + " (WildFly Core " + core->version + ")";
  } else {
    info = "WildFly Core " + core->version;
    if (!core->codename.empty()) info += " \"" + core->codename + "\"";
  }
  // A WildFly Core without Undertow has no servlet container, hence no " - <version>".
  if (auto undertow = undertowVersion(modules)) info += " - " + *undertow;
  return info;
}

}  // namespace telemetry::plugins::wildfly
