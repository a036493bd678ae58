#include "tomcat_server_info.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include "telemetry/plugins/jar_file.hpp"
#include "telemetry/plugins/properties.hpp"

namespace telemetry::plugins::tomcat {
namespace {

constexpr const char* kEntry = "org/apache/catalina/util/ServerInfo.properties";

std::optional<std::string> serverInfoIn(const std::string& propertiesText) {
  auto info = Properties::parse(propertiesText).get("server.info");
  // An unfiltered build template says nothing about the installed version.
  if (!info || info->empty() || info->find("@VERSION@") != std::string::npos) return std::nullopt;
  return info;
}

}  // namespace

std::optional<std::string> readServerInfo(const std::filesystem::path& home) {
  std::error_code ec;
  std::filesystem::path override = home / "lib" / kEntry;
  if (std::filesystem::is_regular_file(override, ec)) {
    std::ifstream in(override, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (auto info = serverInfoIn(text.str())) return info;
  }
  std::filesystem::path jar = home / "lib" / "catalina.jar";
  if (!std::filesystem::exists(jar, ec)) return std::nullopt;
  auto text = JarFile(jar).read(kEntry);
  return text ? serverInfoIn(*text) : std::nullopt;
}

}  // namespace telemetry::plugins::tomcat
