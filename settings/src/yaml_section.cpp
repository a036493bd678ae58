#include "telemetry/settings/yaml_section.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>
#include <string>

#include "telemetry/settings/config_error.hpp"
#include "telemetry/settings/yaml_document.hpp"

namespace telemetry::settings {

YamlSection::YamlSection(YamlOrigin origin, const YAML::Node& node, std::string path,
                         std::vector<std::string_view> keys)
    : origin_(std::move(origin)), node_(node), path_(std::move(path)), keys_(std::move(keys)) {
  checkKeys();
}

void YamlSection::checkKeys() const {
  if (!isSet(node_)) return;
  if (!node_.IsMap()) {
    fail(node_, path_.empty() ? std::string("the configuration must be a mapping of keys to values")
                              : "'" + path_ + "' must be a mapping of keys to values");
  }
  std::map<std::string, int> lines;  // key -> its line, to refuse a key written twice
  for (const auto& entry : node_) {
    const std::string key = entry.first.Scalar();
    // yaml-cpp keeps both and a lookup finds the first: the second would be ignored silently.
    // Worded as the host's whole-document check (config_loader.cpp), which runs before it.
    const auto [first, added] = lines.emplace(key, entry.first.Mark().line + 1);
    if (!added) {
      fail(entry.first, "key '" + key + "' appears twice in " +
                            (path_.empty() ? std::string("the top level") : "'" + path_ + "'") +
                            " (first on line " + std::to_string(first->second) + "); keep one");
    }
    if (std::find(keys_.begin(), keys_.end(), key) != keys_.end()) continue;
    std::string named;
    if (origin_.unknownKeys == UnknownKeyNaming::dotted) {
      named = "'" + name(key) + "'";
    } else {
      named = "'" + key + "'" + (path_.empty() ? std::string() : " in '" + path_ + "'");
    }
    fail(entry.first, "unknown key " + named + didYouMean(key, keys_));
  }
}

YamlSection YamlSection::section(std::string_view key, std::vector<std::string_view> keys) const {
  return YamlSection(origin_, get(key), name(key), std::move(keys));
}

YAML::Node YamlSection::get(std::string_view key) const {
  if (!node_ || !node_.IsMap()) return YAML::Node();
  // Const: indexing a mutable node would insert the keys we merely look up.
  const YAML::Node& mapping = node_;
  return mapping[std::string(key)];
}

std::string YamlSection::name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void YamlSection::fail(const YAML::Node& at, const std::string& message) const {
  throw ConfigError(origin_.shownAs, lineOf(at), message);
}

YAML::Node YamlSection::scalar(std::string_view key) const {
  YAML::Node node = get(key);
  if (isSet(node) && !node.IsScalar()) fail(node, "'" + name(key) + "' must be a single value");
  return node;
}

void YamlSection::read(std::string_view key, std::string& out) const {
  YAML::Node n = scalar(key);
  if (isSet(n)) out = n.Scalar();
}

void YamlSection::read(std::string_view key, bool& out) const {
  YAML::Node n = scalar(key);
  if (!isSet(n)) return;
  // YAML's spellings: true/false, also yes/no and on/off, in lower, title or upper case.
  if (!YAML::convert<bool>::decode(n, out)) {
    fail(n, "'" + name(key) + "' must be true or false, not '" + n.Scalar() + "'");
  }
}

void YamlSection::read(std::string_view key, std::optional<bool>& out) const {
  if (!isSet(scalar(key))) return;
  bool value = false;
  read(key, value);
  out = value;
}

void YamlSection::read(std::string_view key, int& out, int max) const {
  YAML::Node n = scalar(key);
  if (!isSet(n)) return;
  const std::string& v = n.Scalar();
  int value = 0;
  auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (error != std::errc() || end != v.data() + v.size() || value < 0 || value > max) {
    fail(n, "'" + name(key) + "' must be a whole number from 0 to " + std::to_string(max) +
                ", not '" + v + "'");
  }
  out = value;
}

void YamlSection::read(std::string_view key, Duration& out) const {
  YAML::Node n = scalar(key);
  if (!isSet(n)) return;
  try {
    out = parseDuration(n.Scalar());
  } catch (const std::invalid_argument&) {
    fail(n, "'" + name(key) + "' is not a duration: '" + n.Scalar() +
                "' (use seconds, or a number with ms, s, m, h or d up to 100 years: 500ms, 15s, "
                "10m, 24h, 7d)");
  }
}

void YamlSection::readPositive(std::string_view key, unsigned& out) const {
  YAML::Node n = scalar(key);
  if (!isSet(n)) return;
  const std::string& v = n.Scalar();
  unsigned value = 0;
  auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (error != std::errc() || end != v.data() + v.size() || value == 0) {
    fail(n, "'" + name(key) + "' must be a positive integer, not '" + v + "'");
  }
  out = value;
}

void YamlSection::readPath(std::string_view key, std::filesystem::path& out) const {
  YAML::Node n = scalar(key);
  if (!isSet(n)) return;
  if (n.Scalar().empty()) fail(n, "'" + name(key) + "' must not be empty");
  out = resolve(n.Scalar());
}

std::filesystem::path YamlSection::resolve(const std::filesystem::path& value) const {
  if (value.empty() || value.is_absolute() || origin_.file.empty()) return value;
  return origin_.file.parent_path() / value;
}

}  // namespace telemetry::settings
