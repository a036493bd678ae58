#include "deployed_webapps.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "telemetry/plugins/jar_file.hpp"

namespace telemetry::plugins::webapps {
namespace {

bool isCamundaName(std::string name) {
  if (name.ends_with(".war")) name.resize(name.size() - 4);
  return name.starts_with("camunda");
}

void scanWar(const std::filesystem::path& war, std::set<std::string>& found) {
  JarFile jar(war);
  if (jar.entryNames("WEB-INF/").empty()) return;
  for (std::string_view name : kWebappNames) {
    if (!jar.entryNames("app/" + std::string(name) + "/").empty()) found.emplace(name);
  }
}

void scanExploded(const std::filesystem::path& dir, std::set<std::string>& found) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir / "WEB-INF", ec)) return;
  for (std::string_view name : kWebappNames) {
    if (std::filesystem::is_directory(dir / "app" / name, ec)) found.emplace(name);
  }
}

}  // namespace

void scanDeployments(const std::filesystem::path& directory, std::set<std::string>& found) {
  std::error_code ec;
  std::vector<std::filesystem::directory_entry> entries;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    std::string name = entry.path().filename().string();
    if (!isCamundaName(name)) continue;
    if (entry.is_directory(ec)) {
      scanExploded(entry.path(), found);
    } else if (name.ends_with(".war") && entry.is_regular_file(ec)) {
      scanWar(entry.path(), found);
    }
  }
}

}  // namespace telemetry::plugins::webapps
