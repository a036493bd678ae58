#include "telemetry/plugins/manifest.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include "telemetry/plugins/jar_file.hpp"

namespace telemetry::plugins {
namespace {

// Manifests may use CRLF, LF or CR line ends (java.util.jar accepts all three).
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

}  // namespace

bool Manifest::CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) <
           std::tolower(static_cast<unsigned char>(y));
  });
}

Manifest Manifest::parse(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Manifest manifest;
  std::string name;
  std::string value;
  auto flush = [&] {
    if (!name.empty()) manifest.attributes_.insert_or_assign(name, value);
    name.clear();
    value.clear();
  };
  for (std::string_view line : splitLines(text)) {
    if (line.empty()) break;  // the main section ends at the first blank line
    if (line.front() == ' ') {
      if (!name.empty()) value.append(line.substr(1));
      continue;
    }
    flush();
    std::size_t colon = line.find(": ");
    if (colon == std::string_view::npos || colon == 0) continue;
    name = std::string(line.substr(0, colon));
    value = std::string(line.substr(colon + 2));
  }
  flush();
  return manifest;
}

Manifest Manifest::of(const JarFile& jar) {
  auto text = jar.read("META-INF/MANIFEST.MF");
  return text ? parse(*text) : Manifest{};
}

std::optional<std::string> Manifest::attribute(std::string_view name) const {
  auto it = attributes_.find(name);
  if (it == attributes_.end()) return std::nullopt;
  return it->second;
}

}  // namespace telemetry::plugins
