#include "telemetry/settings/yaml_document.hpp"

#include <fstream>
#include <sstream>

#include "telemetry/settings/config_error.hpp"

namespace telemetry::settings {

int lineOf(const YAML::Node& node) {
  // yaml-cpp throws when asked for the mark of a key that is not there.
  return !node.IsDefined() || node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

std::string readConfigFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file, 0, "cannot read configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

YAML::Node parseYaml(const std::string& text, const std::filesystem::path& shownAs) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(shownAs, e.mark.is_null() ? 0 : e.mark.line + 1, "invalid YAML: " + e.msg);
  }
}

}  // namespace telemetry::settings
