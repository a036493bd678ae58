#include "plugin_description.hpp"

#include <stdexcept>

#include "descriptor_rules.hpp"
#include "telemetry/utf8_text.hpp"

namespace telemetry {
namespace {

// Far above any real descriptor; bounds what a hostile answer or cache entry can make the
// host hold and print.
constexpr std::size_t kMaxTextBytes = 4096;

std::string text(const Poco::JSON::Object& json, const std::string& key) {
  if (!json.has(key) || json.isNull(key)) return {};
  Poco::Dynamic::Var value = json.get(key);
  if (!value.isString()) throw std::runtime_error("'" + key + "' is not a string");
  std::string result = value.extract<std::string>();
  if (result.size() > kMaxTextBytes) {
    throw std::runtime_error("'" + key + "' is longer than " + std::to_string(kMaxTextBytes) +
                             " bytes");
  }
  if (auto problem = textProblem(result)) throw std::runtime_error("'" + key + "' " + *problem);
  return result;
}

}  // namespace

Poco::JSON::Object::Ptr descriptionToJson(const PluginInfo& info) {
  Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("name", info.name);
  json->set("version", info.version);
  json->set("section", info.section);
  json->set("description", info.description);
  json->set("abi", info.abi ? Poco::Dynamic::Var(abiText(*info.abi)) : Poco::Dynamic::Var());
  json->set("state", info.state);
  return json;
}

void descriptionFromJson(const Poco::JSON::Object& json, PluginInfo& info) {
  PluginInfo read;
  read.name = text(json, "name");
  read.version = text(json, "version");
  read.section = text(json, "section");
  read.description = text(json, "description");
  read.state = text(json, "state");
  if (std::string abi = text(json, "abi"); !abi.empty()) {
    read.abi = parseAbiText(abi);
    if (!read.abi) throw std::runtime_error("'abi' is not MAJOR.MINOR");
  }
  if (read.state != "loaded" && !read.state.starts_with("refused: ")) {
    throw std::runtime_error("'state' is neither \"loaded\" nor \"refused: ...\"");
  }
  if (read.usable()) {
    if (read.name.empty()) throw std::runtime_error("a loaded plugin without a name");
    if (!read.abi || !plugin::isCompatible(plugin::kAbiVersion, *read.abi)) {
      throw std::runtime_error("a loaded plugin without a compatible ABI version");
    }
    if (std::string problem = sectionClaimProblem(read.section); !problem.empty()) {
      throw std::runtime_error(problem);
    }
  }
  info.name = read.name.empty() ? info.name : read.name;
  info.version = std::move(read.version);
  info.section = std::move(read.section);
  info.description = std::move(read.description);
  info.abi = read.abi;
  info.state = std::move(read.state);
}

}  // namespace telemetry
