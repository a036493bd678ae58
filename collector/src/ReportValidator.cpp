#include "ReportValidator.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace telemetry::collector {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Deep enough for any sane schema, shallow enough that a $ref cycle cannot exhaust the stack.
constexpr int kMaxDepth = 64;

const std::set<std::string> kSupported{
    "type",       "required", "properties", "additionalProperties", "enum",  "pattern",
    "minLength",  "minimum",  "items",      "uniqueItems",          "oneOf", "$ref",
    "definitions"};
const std::set<std::string> kAnnotations{"$schema", "$id",      "title",   "description",
                                         "default", "examples", "$comment"};

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

std::string canonical(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
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

std::string article(const std::string& type) {
  return (type == "object" || type == "array" || type == "integer" ? "an " : "a ") + type;
}

std::size_t codePoints(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string unescapeToken(const std::string& token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
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

ReportValidator::ReportValidator(Var schema) : root_(std::move(schema)) { prepare(root_, "#", 0); }

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

// Walks every schema reachable from the root once: compiles patterns, resolves $refs and
// refuses keywords this validator would otherwise skip.
void ReportValidator::prepare(const Var& schema, const std::string& where, int depth) {
  if (depth > kMaxDepth) throw std::invalid_argument(where + ": schema nested too deeply");
  if (isBool(schema)) return;
  if (!isObject(schema)) throw std::invalid_argument(where + ": a schema must be an object");
  const auto& object = *schema.extract<Object::Ptr>();
  for (const auto& [keyword, value] : object) {
    if (!kSupported.contains(keyword) && !kAnnotations.contains(keyword)) {
      throw std::invalid_argument(where + ": unsupported schema keyword '" + keyword + "'");
    }
  }
  if (object.has("$ref")) {
    const std::string ref = object.getValue<std::string>("$ref");
    if (!refs_.contains(ref)) {
      if (!ref.starts_with("#")) {
        throw std::invalid_argument(where + ": only local $ref are supported, not '" + ref + "'");
      }
      Var target = root_;
      std::string rest = ref.substr(1);
      while (!rest.empty()) {
        const auto next = rest.find('/', 1);
        const std::string token =
            unescapeToken(rest.substr(1, next == std::string::npos ? std::string::npos : next - 1));
        rest = next == std::string::npos ? std::string() : rest.substr(next);
        if (!isObject(target) || !target.extract<Object::Ptr>()->has(token)) {
          throw std::invalid_argument(where + ": $ref '" + ref + "' points nowhere");
        }
        target = target.extract<Object::Ptr>()->get(token);
      }
      refs_[ref] = target;
      prepare(target, ref, depth + 1);
    }
  }
  if (object.has("pattern")) {
    const std::string pattern = object.getValue<std::string>("pattern");
    if (!patterns_.contains(pattern)) {
      try {
        patterns_[pattern] = std::make_shared<Poco::RegularExpression>(pattern);
      } catch (const Poco::Exception& e) {
        throw std::invalid_argument(where + ": bad pattern: " + e.displayText());
      }
    }
  }
  if (auto properties = object.getObject("properties")) {
    for (const auto& [name, sub] : *properties)
      prepare(sub, where + "/properties/" + name, depth + 1);
  }
  if (object.has("additionalProperties")) {
    prepare(object.get("additionalProperties"), where + "/additionalProperties", depth + 1);
  }
  if (object.has("items")) prepare(object.get("items"), where + "/items", depth + 1);
  if (auto oneOf = object.getArray("oneOf")) {
    for (std::size_t i = 0; i < oneOf->size(); ++i) {
      prepare(oneOf->get(static_cast<unsigned>(i)), where + "/oneOf/" + std::to_string(i),
              depth + 1);
    }
  }
}

const Var& ReportValidator::resolve(const std::string& ref) const { return refs_.at(ref); }

std::optional<ValidationError> ReportValidator::validate(const Var& document) const {
  std::size_t visited = 0;
  auto failure = check(root_, document, "", 0, visited);
  if (!failure) return std::nullopt;
  return failure->error;
}

std::optional<ReportValidator::Failure> ReportValidator::check(const Var& schema,
                                                               const Var& instance,
                                                               const std::string& pointer,
                                                               int depth,
                                                               std::size_t& visited) const {
  auto error = [&](const std::string& where, std::string message) {
    return std::optional<Failure>(Failure{ValidationError{where, std::move(message)}, visited});
  };
  if (depth > kMaxDepth) return error(pointer, "is nested too deeply");
  if (isBool(schema)) {
    if (schema.extract<bool>()) return std::nullopt;
    auto failure = error(pointer, "is not allowed");
    failure->rejectedByFalse = true;
    return failure;
  }
  ++visited;
  const auto& s = *schema.extract<Object::Ptr>();
  if (s.has("$ref")) {
    return check(resolve(s.getValue<std::string>("$ref")), instance, pointer, depth + 1, visited);
  }

  if (s.has("type")) {
    const Var type = s.get("type");
    std::vector<std::string> types;
    if (isArray(type)) {
      for (const auto& t : *type.extract<Array::Ptr>()) types.push_back(t.toString());
    } else {
      types.push_back(type.toString());
    }
    bool ok = false;
    for (const auto& t : types) ok = ok || hasType(instance, t);
    if (!ok) {
      std::string expected;
      for (const auto& t : types) expected += (expected.empty() ? "" : " or ") + article(t);
      return error(pointer, "must be " + expected);
    }
  }
  if (auto values = s.getArray("enum")) {
    const std::string actual = canonical(instance);
    bool found = false;
    std::string allowed;
    for (const auto& v : *values) {
      const std::string candidate = canonical(v);
      found = found || candidate == actual;
      allowed += (allowed.empty() ? "" : ", ") + (v.isString() ? v.toString() : candidate);
    }
    if (!found) return error(pointer, "must be one of: " + allowed);
  }
  if (instance.isString()) {
    const std::string text = instance.toString();
    if (s.has("minLength") && codePoints(text) < s.getValue<std::size_t>("minLength")) {
      return error(pointer, "must be at least " + s.get("minLength").toString() + " characters");
    }
    if (s.has("pattern")) {
      const std::string pattern = s.getValue<std::string>("pattern");
      Poco::RegularExpression::Match match;
      if (patterns_.at(pattern)->match(text, 0, match) == 0) {
        return error(pointer, "must match " + pattern);
      }
    }
  }
  if (isNumber(instance) && s.has("minimum") &&
      instance.convert<double>() < s.get("minimum").convert<double>()) {
    return error(pointer, "must be at least " + s.get("minimum").toString());
  }
  if (isObject(instance)) {
    const auto& object = *instance.extract<Object::Ptr>();
    const auto properties = s.getObject("properties");
    const bool hasAdditional = s.has("additionalProperties");
    for (const auto& name : object.getNames()) {
      const std::string child = pointer + "/" + escapePointerToken(name);
      std::optional<Failure> result;
      if (properties && properties->has(name)) {
        result = check(properties->get(name), object.get(name), child, depth + 1, visited);
      } else if (hasAdditional) {
        result = check(s.get("additionalProperties"), object.get(name), child, depth + 1, visited);
      }
      if (result) return result;
    }
    if (auto required = s.getArray("required")) {
      for (const auto& name : *required) {
        if (!object.has(name.toString())) {
          return error(pointer + "/" + escapePointerToken(name.toString()), "is required");
        }
      }
    }
  }
  if (isArray(instance)) {
    const auto& array = *instance.extract<Array::Ptr>();
    if (s.has("items")) {
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (auto result = check(s.get("items"), array.get(static_cast<unsigned>(i)),
                                pointer + "/" + std::to_string(i), depth + 1, visited)) {
          return result;
        }
      }
    }
    if (s.has("uniqueItems") && s.get("uniqueItems").convert<bool>()) {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (!seen.insert(canonical(array.get(static_cast<unsigned>(i)))).second) {
          return error(pointer + "/" + std::to_string(i), "repeats an earlier item");
        }
      }
    }
  }
  if (auto oneOf = s.getArray("oneOf")) {
    std::size_t matches = 0;
    std::optional<Failure> closest;
    for (const auto& branch : *oneOf) {
      std::size_t branchVisited = visited;
      auto result = check(branch, instance, pointer, depth + 1, branchVisited);
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
    if (matches > 1) return error(pointer, "matches more than one allowed shape");
  }
  return std::nullopt;
}

}  // namespace telemetry::collector
