// A Java .properties file, read with the rules of java.util.Properties.load.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace telemetry::plugins {

/// Keys and values after comments, line continuations and escapes (\uXXXX becomes UTF-8)
/// are resolved. A key given twice keeps its last value, as in Java.
class Properties {
 public:
  static Properties parse(std::string_view text);

  std::optional<std::string> get(std::string_view key) const;
  std::size_t size() const { return values_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace telemetry::plugins
