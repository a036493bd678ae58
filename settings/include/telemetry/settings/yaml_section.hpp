// One YAML mapping of a configuration file (`telemetry:`, `connections:`, ...) read against
// the keys it may hold: typed values, and every problem a ConfigError naming file, line
// and field, with "did you mean" for a misspelt key or choice.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "telemetry/settings/did_you_mean.hpp"
#include "telemetry/settings/duration.hpp"

namespace telemetry::settings {

/// How a message names an unknown key: "unknown key 'b' in 'a'" or "unknown key 'a.b'".
enum class UnknownKeyNaming { inSection, dotted };

/// Where a configuration came from, and how its messages read.
struct YamlOrigin {
  std::filesystem::path file;     ///< relative paths in it are resolved against its directory
  std::filesystem::path shownAs;  ///< the name every message starts with
  UnknownKeyNaming unknownKeys = UnknownKeyNaming::inSection;
};

class YamlSection {
 public:
  /// `node` (absent or null: an empty mapping) read against the `keys` it may hold; `path`
  /// names it in messages, "" for the top level. An unknown key fails here.
  YamlSection(YamlOrigin origin, const YAML::Node& node, std::string path,
              std::vector<std::string_view> keys);

  /// The mapping under `key`, read against its own `keys`.
  YamlSection section(std::string_view key, std::vector<std::string_view> keys) const;

  const YAML::Node& node() const { return node_; }
  const YamlOrigin& origin() const { return origin_; }
  /// The value of `key`; a missing key yields an undefined node.
  YAML::Node get(std::string_view key) const;
  /// "telemetry.endpoint": `key` as messages name it.
  std::string name(std::string_view key) const;
  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;
  static bool isSet(const YAML::Node& node) { return node && !node.IsNull(); }

  /// The value of `key` if it is set, which must then be a single value.
  YAML::Node scalar(std::string_view key) const;

  // Each read leaves `out` as it is when `key` is not set.
  void read(std::string_view key, std::string& out) const;
  void read(std::string_view key, bool& out) const;
  /// A switch that may be left unset (nobody decided yet).
  void read(std::string_view key, std::optional<bool>& out) const;
  /// A whole number from 0 to `max`.
  void read(std::string_view key, int& out, int max) const;
  void read(std::string_view key, Duration& out) const;
  /// A whole number from 1 up.
  void readPositive(std::string_view key, unsigned& out) const;
  /// A path that must not be empty, resolved against the file's directory.
  void readPath(std::string_view key, std::filesystem::path& out) const;

  /// One of `choices` by name; anything else fails listing them.
  template <class Enum, std::size_t N>
  void read(std::string_view key, Enum& out,
            const std::array<std::pair<std::string_view, Enum>, N>& choices) const {
    YAML::Node n = scalar(key);
    if (!isSet(n)) return;
    std::vector<std::string_view> names;
    for (const auto& [text, value] : choices) {
      if (n.Scalar() == text) {
        out = value;
        return;
      }
      names.push_back(text);
    }
    std::string list;
    for (auto each : names) list += (list.empty() ? "" : ", ") + std::string(each);
    fail(n, "'" + name(key) + "' must be one of " + list + ", not '" + n.Scalar() + "'" +
                didYouMean(n.Scalar(), names));
  }

  /// `value` anchored at the configuration file's directory unless absolute or empty.
  std::filesystem::path resolve(const std::filesystem::path& value) const;

 private:
  void checkKeys() const;

  YamlOrigin origin_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string_view> keys_;
};

}  // namespace telemetry::settings
