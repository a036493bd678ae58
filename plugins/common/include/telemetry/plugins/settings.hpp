// A plugin's `settings` (JSON text from the host) checked against the keys it knows.
#pragma once

#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

namespace telemetry::plugins {

/// Thrown for unknown keys and wrong types; the message names the plugin and the key.
class SettingsError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Settings {
 public:
  /// Parses `json` (an object) and rejects any key not in `known`.
  Settings(std::string_view plugin, const std::string& json,
           std::initializer_list<std::string_view> known);

  bool has(std::string_view key) const;
  /// A string setting; numbers and booleans are accepted as their text.
  std::optional<std::string> string(std::string_view key) const;
  /// A string or a list of strings.
  std::vector<std::string> strings(std::string_view key) const;

 private:
  [[noreturn]] void fail(std::string_view key, std::string_view problem) const;
  std::string plugin_;
  Poco::JSON::Object::Ptr object_;
};

}  // namespace telemetry::plugins
