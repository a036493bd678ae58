#include "telemetry/plugins/artifact_name.hpp"

#include <algorithm>
#include <cctype>
#include <system_error>
#include <vector>

namespace telemetry::plugins {
namespace {

std::string_view baseName(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<std::string> artifactVersion(std::string_view fileName, std::string_view artifactId,
                                           std::string_view extension) {
  std::string_view name = baseName(fileName);
  if (!name.ends_with(extension)) return std::nullopt;
  name.remove_suffix(extension.size());
  if (!name.starts_with(artifactId) || name.size() < artifactId.size() + 2) return std::nullopt;
  if (name[artifactId.size()] != '-') return std::nullopt;
  std::string_view version = name.substr(artifactId.size() + 1);
  if (!std::isdigit(static_cast<unsigned char>(version.front()))) return std::nullopt;
  return std::string(version);
}

bool isArtifact(std::string_view fileName, std::string_view artifactId,
                std::string_view extension) {
  std::string_view name = baseName(fileName);
  if (name.size() == artifactId.size() + extension.size() && name.starts_with(artifactId) &&
      name.ends_with(extension)) {
    return true;
  }
  return artifactVersion(name, artifactId, extension).has_value();
}

std::optional<std::filesystem::path> findArtifact(const std::filesystem::path& directory,
                                                  std::string_view artifactId,
                                                  std::string_view extension) {
  std::error_code ec;
  std::vector<std::filesystem::path> matches;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (isArtifact(it->path().filename().string(), artifactId, extension) &&
        it->is_regular_file(ec)) {
      matches.push_back(it->path());
    }
  }
  if (matches.empty()) return std::nullopt;
  return *std::min_element(matches.begin(), matches.end());
}

}  // namespace telemetry::plugins
