#include "websphere_server_info.hpp"

#include <stdexcept>

#include "telemetry/plugins/properties.hpp"
#include "telemetry/plugins/text_file.hpp"
#include "telemetry/plugins/xml_elements.hpp"

namespace telemetry::plugins::websphere {
namespace {

// <product name="IBM WebSphere Application Server - ND"><version>9.0.5.0</version>...
std::optional<std::string> traditionalInfo(const std::filesystem::path& home) {
  std::filesystem::path file = home / "properties" / "version" / "WAS.product";
  auto text = readTextFile(file);
  if (!text) return std::nullopt;
  std::optional<std::string> version;
  try {
    for (const XmlElement& element : parseXmlElements(*text)) {
      if (element.name == "version" && !element.text.empty()) {
        version = element.text;
        break;
      }
    }
  } catch (const XmlError& e) {
    throw XmlError("'" + file.string() + "': " + e.what());
  }
  if (!version) throw std::runtime_error("'" + file.string() + "' has no <version>");
  // The web container reports the release only: 9.0.5.0 is "9.0".
  std::size_t minorEnd = version->find('.', version->find('.') + 1);
  return "IBM WebSphere Application Server/" + version->substr(0, minorEnd);
}

std::optional<std::string> libertyInfo(const std::filesystem::path& wlp) {
  for (const char* name : {"WebSphereApplicationServer.properties", "openliberty.properties"}) {
    std::filesystem::path file = wlp / "lib" / "versions" / name;
    auto text = readTextFile(file);
    if (!text) continue;
    auto version = Properties::parse(*text).get("com.ibm.websphere.productVersion");
    if (!version || version->empty()) {
      throw std::runtime_error("'" + file.string() + "' has no com.ibm.websphere.productVersion");
    }
    return "IBM WebSphere Liberty/" + *version;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> readServerInfo(const std::filesystem::path& home) {
  if (auto info = traditionalInfo(home)) return info;
  if (auto info = libertyInfo(home)) return info;
  return libertyInfo(home / "wlp");
}

}  // namespace telemetry::plugins::websphere
