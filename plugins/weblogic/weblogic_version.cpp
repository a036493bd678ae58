#include "weblogic_version.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "telemetry/plugins/jar_file.hpp"
#include "telemetry/plugins/manifest.hpp"
#include "telemetry/plugins/text_file.hpp"
#include "telemetry/plugins/xml_elements.hpp"

namespace telemetry::plugins::weblogic {
namespace {

// 12c: <distribution name="WebLogic Server" version="12.2.1.4.0">; 11g: <component
// name="WebLogic Server" version="10.3.6.0">. The first element so named with a version.
std::optional<std::string> registryVersion(const std::filesystem::path& file) {
  auto text = readTextFile(file);
  if (!text) return std::nullopt;
  try {
    for (const XmlElement& element : parseXmlElements(*text)) {
      if (element.attribute("name") != "WebLogic Server") continue;
      auto version = element.attribute("version");
      if (version && !version->empty()) return version;
    }
  } catch (const XmlError& e) {
    throw XmlError("'" + file.string() + "': " + e.what());
  }
  return std::nullopt;
}

std::optional<std::string> jarVersion(const std::filesystem::path& jar) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(jar, ec)) return std::nullopt;
  auto version = Manifest::of(JarFile(jar)).attribute("Implementation-Version");
  if (version && version->empty()) return std::nullopt;
  return version;
}

// `home` itself and, for a WebLogic home, the Oracle or Middleware home above it.
std::vector<std::filesystem::path> homes(const std::filesystem::path& home) {
  std::filesystem::path normal = home.lexically_normal();
  if (!normal.has_filename()) normal = normal.parent_path();
  return {normal, normal.parent_path()};
}

// The WebLogic homes under `home`: itself, `wlserver` (12c) and `wlserver_*` (10.3/11g).
std::vector<std::filesystem::path> webLogicHomes(const std::filesystem::path& home) {
  std::vector<std::filesystem::path> found = {home, home / "wlserver"};
  std::vector<std::filesystem::path> versioned;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(home, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename().string().starts_with("wlserver_")) versioned.push_back(it->path());
  }
  std::sort(versioned.begin(), versioned.end());
  found.insert(found.end(), versioned.begin(), versioned.end());
  return found;
}

}  // namespace

std::optional<std::string> readWebLogicVersion(const std::filesystem::path& home) {
  for (const auto& root : homes(home)) {
    if (auto version = registryVersion(root / "inventory" / "registry.xml")) return version;
    if (auto version = registryVersion(root / "registry.xml")) return version;
  }
  for (const auto& webLogicHome : webLogicHomes(home)) {
    if (auto version = jarVersion(webLogicHome / "server" / "lib" / "weblogic.jar")) {
      return version;
    }
  }
  return std::nullopt;
}

}  // namespace telemetry::plugins::weblogic
