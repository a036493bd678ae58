#include "ReportValidator.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "CompactJson.hpp"
#include "ObjectMembers.hpp"

namespace telemetry::collector {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Deep enough for any sane document, shallow enough that a $ref cycle cannot exhaust the stack.
constexpr int kMaxDepth = 64;

bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }
bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr); }
bool isBool(const Var& v) { return v.type() == typeid(bool); }
bool isNumber(const Var& v) { return !isBool(v) && !v.isEmpty() && v.isNumeric(); }
bool isInteger(const Var& v) {
  if (!isNumber(v)) return false;
  if (v.isInteger()) return true;
  const double d = v.convert<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool hasType(const Var& v, const std::string& type) {
  if (type == "object") return isObject(v);
  if (type == "array") return isArray(v);
  if (type == "string") return v.isString();
  if (type == "boolean") return isBool(v);
  if (type == "integer") return isInteger(v);
  if (type == "number") return isNumber(v);
  if (type == "null") return v.isEmpty();
  return false;
}

std::size_t codePoints(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// An item's identity for uniqueItems: strings as they are (no serialising), anything else
// as condensed JSON; the tag keeps the two apart, as their JSON forms are.
std::string identity(const Var& item) {
  return item.isString() ? 's' + item.toString() : 'j' + CompactJson::write(item);
}

}  // namespace

std::string ReportValidator::escapePointerToken(const std::string& token) {
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

std::string ReportValidator::Path::pointer() const {
  std::string token = name ? escapePointerToken(*name) : std::to_string(index);
  return (parent ? parent->pointer() : std::string()) + "/" + token;
}

ReportValidator::ReportValidator(const Var& schema) : schema_(schema) {}

ReportValidator ReportValidator::fromFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument(file.string() + ": cannot read the report schema");
  try {
    Poco::JSON::Parser parser;
    return ReportValidator(parser.parse(in));
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument(file.string() + ": " + e.displayText());
  }
}

std::optional<ValidationError> ReportValidator::validate(const Var& document) const {
  std::size_t visited = 0;
  auto failure = check(schema_.root(), document, nullptr, 0, visited);
  if (!failure) return std::nullopt;
  return failure->error;
}

std::optional<ReportValidator::Failure> ReportValidator::check(const SchemaNode& s,
                                                               const Var& instance,
                                                               const Path* path, int depth,
                                                               std::size_t& visited) const {
  auto error = [&](const std::string& message) {
    return std::optional<Failure>(
        Failure{ValidationError{path ? path->pointer() : std::string(), message}, visited});
  };
  if (depth > kMaxDepth) return error("is nested too deeply");
  if (s.verdict == SchemaNode::Verdict::AcceptAll) return std::nullopt;
  if (s.verdict == SchemaNode::Verdict::RejectAll) {
    auto failure = error("is not allowed");
    failure->rejectedByFalse = true;
    return failure;
  }
  ++visited;
  if (s.ref) return check(*s.ref, instance, path, depth + 1, visited);

  if (s.types && std::none_of(s.types->begin(), s.types->end(),
                              [&](const std::string& t) { return hasType(instance, t); })) {
    return error(s.typeMessage);
  }
  if (s.hasEnum) {
    const bool found =
        instance.isString()
            ? std::ranges::find(s.enumStrings, instance.toString()) != s.enumStrings.end()
            : std::ranges::find(s.enumCanonical, CompactJson::write(instance)) !=
                  s.enumCanonical.end();
    if (!found) return error(s.enumMessage);
  }
  if (instance.isString() && (s.minLength || s.pattern)) {
    const std::string text = instance.toString();
    if (s.minLength && codePoints(text) < *s.minLength) return error(s.minLengthMessage);
    Poco::RegularExpression::Match match;
    if (s.pattern && s.pattern->match(text, 0, match) == 0) return error(s.patternMessage);
  }
  if (s.minimum && isNumber(instance) && instance.convert<double>() < *s.minimum) {
    return error(s.minimumMessage);
  }
  if (isObject(instance)) {
    if (auto failure = checkObject(s, instance, path, depth, visited)) return failure;
  }
  if (isArray(instance)) {
    if (auto failure = checkArray(s, instance, path, depth, visited)) return failure;
  }
  return checkOneOf(s, instance, path, depth, visited);
}

std::optional<ReportValidator::Failure> ReportValidator::checkObject(const SchemaNode& s,
                                                                     const Var& instance,
                                                                     const Path* path, int depth,
                                                                     std::size_t& visited) const {
  const auto& object = *instance.extract<Object::Ptr>();
  if (!s.properties.empty() || s.additionalProperties) {
    // In the document's order: the first bad member is the one reported.
    for (const auto& [name, value] : orderedMembers(object)) {
      const auto property = s.properties.find(*name);
      const SchemaNode* sub =
          property != s.properties.end() ? property->second : s.additionalProperties;
      if (!sub) continue;
      const Path child{path, name};
      if (auto failure = check(*sub, *value, &child, depth + 1, visited)) return failure;
    }
  }
  for (const auto& name : s.required) {
    if (!object.has(name)) {
      const Path child{path, &name};
      return Failure{ValidationError{child.pointer(), "is required"}, visited};
    }
  }
  return std::nullopt;
}

std::optional<ReportValidator::Failure> ReportValidator::checkArray(const SchemaNode& s,
                                                                    const Var& instance,
                                                                    const Path* path, int depth,
                                                                    std::size_t& visited) const {
  const auto& array = *instance.extract<Array::Ptr>();
  if (s.items) {
    std::size_t i = 0;
    for (const auto& item : array) {
      const Path child{path, nullptr, i++};
      if (auto failure = check(*s.items, item, &child, depth + 1, visited)) return failure;
    }
  }
  if (s.uniqueItems) {
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const auto& item : array) {
      const Path child{path, nullptr, i++};
      if (!seen.insert(identity(item)).second) {
        return Failure{ValidationError{child.pointer(), "repeats an earlier item"}, visited};
      }
    }
  }
  return std::nullopt;
}

std::optional<ReportValidator::Failure> ReportValidator::checkOneOf(const SchemaNode& s,
                                                                    const Var& instance,
                                                                    const Path* path, int depth,
                                                                    std::size_t& visited) const {
  std::size_t matches = 0;
  std::optional<Failure> closest;
  for (const SchemaNode* branch : s.oneOf) {
    std::size_t branchVisited = visited;
    auto result = check(*branch, instance, path, depth + 1, branchVisited);
    if (!result) {
      ++matches;
      continue;
    }
    // The branch that validated most of the document is the one the sender meant; on a
    // tie, a broken value says more than "not allowed".
    const bool better = !closest || result->visited > closest->visited ||
                        (result->visited == closest->visited && closest->rejectedByFalse &&
                         !result->rejectedByFalse);
    if (better) closest = std::move(result);
  }
  if (matches == 0) return closest;
  if (matches > 1) {
    return Failure{ValidationError{path ? path->pointer() : std::string(),
                                   "matches more than one allowed shape"},
                   visited};
  }
  return std::nullopt;
}

}  // namespace telemetry::collector
