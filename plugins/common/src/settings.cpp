#include "telemetry/plugins/settings.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "telemetry/plugin/suggest.hpp"

namespace telemetry::plugins {

Settings::Settings(std::string_view plugin, const std::string& json,
                   std::initializer_list<std::string_view> known)
    : plugin_(plugin) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(json.empty() ? "{}" : json);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      object_ = parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
    // Poco's message may quote the input, and settings can hold a password.
    throw SettingsError("plugin '" + plugin_ + "': settings are not valid JSON");
  }
  if (!object_) throw SettingsError("plugin '" + plugin_ + "': settings must be a mapping");
  for (const auto& [key, value] : *object_) {
    bool isKnown = false;
    for (std::string_view k : known) isKnown = isKnown || k == key;
    if (!isKnown) {
      throw SettingsError("plugin '" + plugin_ + "': unknown setting '" + key + "'" +
                          plugin::didYouMean(key, known));
    }
  }
}

bool Settings::has(std::string_view key) const { return object_->has(std::string(key)); }

std::optional<std::string> Settings::string(std::string_view key) const {
  const std::string k(key);
  if (!object_->has(k) || object_->isNull(k)) return std::nullopt;
  Poco::Dynamic::Var value = object_->get(k);
  if (value.isArray() || value.isStruct() || object_->isObject(k) || object_->isArray(k)) {
    fail(key, "expected a single value");
  }
  return value.convert<std::string>();
}

std::vector<std::string> Settings::strings(std::string_view key) const {
  const std::string k(key);
  if (!object_->has(k) || object_->isNull(k)) return {};
  if (!object_->isArray(k)) return {*string(key)};
  std::vector<std::string> out;
  Poco::JSON::Array::Ptr array = object_->getArray(k);
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (array->isObject(i) || array->isArray(i)) fail(key, "expected a list of strings");
    out.push_back(array->get(i).convert<std::string>());
  }
  return out;
}

void Settings::fail(std::string_view key, std::string_view problem) const {
  throw SettingsError("plugin '" + plugin_ + "': setting '" + std::string(key) +
                      "': " + std::string(problem));
}

}  // namespace telemetry::plugins
