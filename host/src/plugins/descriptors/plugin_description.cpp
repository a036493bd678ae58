#include "plugins/descriptors/plugin_description.hpp"

#include <optional>
#include <stdexcept>

#include <Poco/JSON/Array.h>

#include "plugins/descriptor_rules.hpp"
#include "plugins/documented_field.hpp"
#include "plugins/plugin_needs.hpp"
#include "report/utf8_text.hpp"

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

/// The declared needs, by name; a name this host does not know cannot come from a real
/// descriptor (unknown bits are dropped when it is read), so it is refused.
plugin::Needs needs(const Poco::JSON::Object& json) {
  if (!json.has("needs") || json.isNull("needs")) return 0;
  Poco::JSON::Array::Ptr names = json.getArray("needs");
  if (names.isNull()) throw std::runtime_error("'needs' is not an array");
  plugin::Needs bits = 0;
  for (std::size_t i = 0; i < names->size(); ++i) {
    Poco::Dynamic::Var name = names->get(static_cast<unsigned int>(i));
    std::optional<plugin::Need> need =
        name.isString() ? needNamed(name.extract<std::string>()) : std::nullopt;
    if (!need) throw std::runtime_error("'needs' holds something other than a known need");
    bits |= static_cast<plugin::Needs>(*need);
  }
  return bits;
}

std::string member(const Poco::JSON::Object& json, const std::string& key) {
  Poco::Dynamic::Var value = json.has(key) ? json.get(key) : Poco::Dynamic::Var();
  if (!value.isString())
    throw std::runtime_error("a documented field's '" + key + "' is not a string");
  return value.extract<std::string>();
}

/// The documented fields, checked as the catalog checks a descriptor's.
std::vector<DocumentedField> fields(const Poco::JSON::Object& json) {
  if (!json.has("fields") || json.isNull("fields")) return {};
  Poco::JSON::Array::Ptr list = json.getArray("fields");
  if (list.isNull()) throw std::runtime_error("'fields' is not an array");
  // Checked before reading them all, so a long list costs no more than its parse.
  if (list->size() > kMaxDocumentedFields) {
    throw std::runtime_error("'fields' holds more than " + std::to_string(kMaxDocumentedFields) +
                             " fields");
  }
  std::vector<DocumentedField> read;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Poco::JSON::Object::Ptr field = list->getObject(static_cast<unsigned int>(i));
    if (field.isNull()) throw std::runtime_error("'fields' holds something other than objects");
    read.push_back(
        {member(*field, "pointer"), member(*field, "description"), member(*field, "purpose")});
  }
  checkFieldDocs(read);
  return read;
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
  Poco::JSON::Array::Ptr needs = new Poco::JSON::Array;
  for (plugin::Need need : kKnownNeeds) {
    if (plugin::contains(info.needs, need)) needs->add(std::string(nameOf(need)));
  }
  json->set("needs", needs);
  Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
  for (const DocumentedField& field : info.fields) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("pointer", field.pointer);
    entry->set("description", field.description);
    entry->set("purpose", field.purpose);
    fields->add(entry);
  }
  json->set("fields", fields);
  return json;
}

void descriptionFromJson(const Poco::JSON::Object& json, PluginInfo& info) {
  PluginInfo read;
  read.name = text(json, "name");
  read.version = text(json, "version");
  read.section = text(json, "section");
  read.description = text(json, "description");
  read.state = text(json, "state");
  read.needs = needs(json);
  read.fields = fields(json);
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
  info.needs = read.needs;
  info.fields = std::move(read.fields);
  info.state = std::move(read.state);
}

}  // namespace telemetry
