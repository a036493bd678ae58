#include "report/pretty_json.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

namespace telemetry {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr int kStep = 2;

void newline(std::ostream& out, int indent) { out << '\n' << std::string(indent, ' '); }

void write(std::ostream& out, const Var& value, int indent);

void writeObject(std::ostream& out, const Object& object, int indent) {
  const Object::NameList names = object.getNames();  // insertion order when it keeps it
  if (names.empty()) {
    out << "{}";
    return;
  }
  out << '{';
  for (std::size_t i = 0; i < names.size(); ++i) {
    newline(out, indent + kStep);
    Poco::JSON::Stringifier::stringify(names[i], out);
    out << ": ";
    write(out, object.get(names[i]), indent + kStep);
    if (i + 1 < names.size()) out << ',';
  }
  newline(out, indent);
  out << '}';
}

void writeArray(std::ostream& out, const Array& array, int indent) {
  if (array.size() == 0) {
    out << "[]";
    return;
  }
  out << '[';
  for (std::size_t i = 0; i < array.size(); ++i) {
    newline(out, indent + kStep);
    write(out, array.get(static_cast<unsigned>(i)), indent + kStep);
    if (i + 1 < array.size()) out << ',';
  }
  newline(out, indent);
  out << ']';
}

void write(std::ostream& out, const Var& value, int indent) {
  if (value.type() == typeid(Object::Ptr)) {
    writeObject(out, *value.extract<Object::Ptr>(), indent);
  } else if (value.type() == typeid(Object)) {
    writeObject(out, value.extract<Object>(), indent);
  } else if (value.type() == typeid(Array::Ptr)) {
    writeArray(out, *value.extract<Array::Ptr>(), indent);
  } else if (value.type() == typeid(Array)) {
    writeArray(out, value.extract<Array>(), indent);
  } else {
    Poco::JSON::Stringifier::stringify(value, out);
  }
}

}  // namespace

std::string prettyJson(const Var& value) {
  std::ostringstream out;
  write(out, value, 0);
  return out.str();
}

}  // namespace telemetry
