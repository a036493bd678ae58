#include "java_release.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace telemetry::plugins::jdk {

namespace fs = std::filesystem;

std::optional<JavaRelease> JavaRelease::read(const fs::path& javaHome) {
  std::ifstream in(javaHome / "release");
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

JavaRelease JavaRelease::parse(const std::string& text) {
  JavaRelease release;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto eq = line.find('=');
    if (eq == std::string::npos || line.starts_with('#')) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    release.values_[line.substr(0, eq)] = value;
  }
  return release;
}

std::optional<std::string> JavaRelease::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<fs::path> locateJavaHome(const std::optional<std::string>& setting) {
  if (setting && !setting->empty()) return fs::path(*setting);
  if (const char* env = std::getenv("JAVA_HOME"); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path == nullptr ? "" : path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::error_code ec;
    fs::path java = fs::path(dir) / "java";
    if (!fs::exists(java, ec)) continue;
    fs::path real = fs::canonical(java, ec);
    if (ec) continue;
    return real.parent_path().parent_path();  // <home>/bin/java
  }
  return std::nullopt;
}

}  // namespace telemetry::plugins::jdk
