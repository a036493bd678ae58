#include "CompactJson.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSONString.h>

#include "ObjectMembers.hpp"

namespace telemetry::collector {

std::string CompactJson::write(const Poco::Dynamic::Var& document) {
  std::string out;
  out.reserve(2048);  // a full report is about 1.5 KB
  append(document, out);
  return out;
}

// The cases, in their order, of Poco::JSON::Stringifier::stringify.
void CompactJson::append(const Poco::Dynamic::Var& value, std::string& out) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    out += '{';
    bool first = true;
    for (const auto& [name, member] : orderedMembers(*value.extract<Poco::JSON::Object::Ptr>())) {
      if (!first) out += ',';
      first = false;
      out += Poco::toJSON(*name, Poco::JSON_WRAP_STRINGS);
      out += ':';
      append(*member, out);
    }
    out += '}';
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    out += '[';
    bool first = true;
    for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) {
      if (!first) out += ',';
      first = false;
      append(item, out);
    }
    out += ']';
  } else if (value.isEmpty()) {
    out += "null";
  } else if ((value.isNumeric() || value.isBoolean()) && value.type() != typeid(char)) {
    out += value.convert<std::string>();
  } else if (value.isNumeric() || value.isString() || value.isDateTime() || value.isDate() ||
             value.isTime()) {
    out += Poco::toJSON(value.convert<std::string>(), Poco::JSON_WRAP_STRINGS);
  } else {
    out += value.convert<std::string>();
  }
}

}  // namespace telemetry::collector
