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

class Writer {
 public:
  Writer(std::ostream& out, const LineComment* comment) : out_(out), comment_(comment) {}

  void write(const Var& value, int indent, const std::string& pointer) {
    if (value.type() == typeid(Object::Ptr)) {
      writeObject(*value.extract<Object::Ptr>(), indent, pointer);
    } else if (value.type() == typeid(Object)) {
      writeObject(value.extract<Object>(), indent, pointer);
    } else if (value.type() == typeid(Array::Ptr)) {
      writeArray(*value.extract<Array::Ptr>(), indent, pointer);
    } else if (value.type() == typeid(Array)) {
      writeArray(value.extract<Array>(), indent, pointer);
    } else {
      Poco::JSON::Stringifier::stringify(value, out_);
      pendingComment(pointer);
    }
  }

  /// Ends the last line's comment.
  void finish() { flushComment(); }

 private:
  void newline(int indent) {
    flushComment();
    out_ << '\n' << std::string(indent, ' ');
  }

  /// A member's comment goes after its first line: after the comma that may follow.
  void pendingComment(const std::string& pointer) {
    if (comment_ != nullptr && !pointer.empty()) pending_ = (*comment_)(pointer);
  }

  void flushComment() {
    if (!pending_.empty()) out_ << "  // " << pending_;
    pending_.clear();
  }

  void writeObject(const Object& object, int indent, const std::string& pointer) {
    const Object::NameList names = object.getNames();  // insertion order when it keeps it
    if (names.empty()) {
      out_ << "{}";
      pendingComment(pointer);
      return;
    }
    out_ << '{';
    pendingComment(pointer);
    for (std::size_t i = 0; i < names.size(); ++i) {
      newline(indent + kStep);
      Poco::JSON::Stringifier::stringify(names[i], out_);
      out_ << ": ";
      write(object.get(names[i]), indent + kStep, pointer + "/" + pointerToken(names[i]));
      if (i + 1 < names.size()) out_ << ',';
    }
    newline(indent);
    out_ << '}';
  }

  void writeArray(const Array& array, int indent, const std::string& pointer) {
    if (array.size() == 0) {
      out_ << "[]";
      pendingComment(pointer);
      return;
    }
    out_ << '[';
    pendingComment(pointer);
    for (std::size_t i = 0; i < array.size(); ++i) {
      newline(indent + kStep);
      write(array.get(static_cast<unsigned>(i)), indent + kStep, pointer + "/" + std::to_string(i));
      if (i + 1 < array.size()) out_ << ',';
    }
    newline(indent);
    out_ << ']';
  }

  std::ostream& out_;
  const LineComment* comment_;
  std::string pending_;
};

}  // namespace

std::string prettyJson(const Var& value) {
  std::ostringstream out;
  Writer writer(out, nullptr);
  writer.write(value, 0, "");
  return out.str();
}

std::string prettyJson(const Var& value, const LineComment& comment) {
  std::ostringstream out;
  Writer writer(out, &comment);
  writer.write(value, 0, "");
  writer.finish();
  return out.str();
}

std::string pointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace telemetry
