#include "CompiledSchema.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <set>
#include <stdexcept>

#include "CompactJson.hpp"

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
bool isBool(const Var& v) { return v.type() == typeid(bool); }

std::string article(const std::string& type) {
  return (type == "object" || type == "array" || type == "integer" ? "an " : "a ") + type;
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

CompiledSchema::CompiledSchema(const Var& schema) : document_(schema) {
  root_ = compile(document_, "#", 0);
}

const SchemaNode* CompiledSchema::compile(const Var& schema, const std::string& where, int depth) {
  auto& node = nodes_.emplace_back();
  fill(node, schema, where, depth);
  return &node;
}

// Registers the target before compiling it, so a $ref cycle ends here instead of looping.
const SchemaNode* CompiledSchema::resolve(const std::string& ref, const std::string& where,
                                          int depth) {
  if (auto known = refs_.find(ref); known != refs_.end()) return known->second;
  if (!ref.starts_with("#")) {
    throw std::invalid_argument(where + ": only local $ref are supported, not '" + ref + "'");
  }
  Var target = document_;
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
  auto& node = nodes_.emplace_back();
  refs_[ref] = &node;
  fill(node, target, ref, depth + 1);
  return &node;
}

const Poco::RegularExpression* CompiledSchema::regex(const std::string& pattern,
                                                     const std::string& where) {
  auto& compiled = patterns_[pattern];
  if (!compiled) {
    try {
      compiled = std::make_unique<Poco::RegularExpression>(pattern);
    } catch (const Poco::Exception& e) {
      patterns_.erase(pattern);
      throw std::invalid_argument(where + ": bad pattern: " + e.displayText());
    }
  }
  return compiled.get();
}

void CompiledSchema::fill(SchemaNode& node, const Var& schema, const std::string& where,
                          int depth) {
  if (depth > kMaxDepth) throw std::invalid_argument(where + ": schema nested too deeply");
  if (isBool(schema)) {
    node.verdict =
        schema.extract<bool>() ? SchemaNode::Verdict::AcceptAll : SchemaNode::Verdict::RejectAll;
    return;
  }
  if (!isObject(schema)) throw std::invalid_argument(where + ": a schema must be an object");
  const auto& object = *schema.extract<Object::Ptr>();
  for (const auto& [keyword, value] : object) {
    if (!kSupported.contains(keyword) && !kAnnotations.contains(keyword)) {
      throw std::invalid_argument(where + ": unsupported schema keyword '" + keyword + "'");
    }
  }
  try {
    if (object.has("$ref")) node.ref = resolve(object.getValue<std::string>("$ref"), where, depth);
    if (object.has("type")) {
      const Var type = object.get("type");
      std::vector<std::string> types;
      if (type.type() == typeid(Array::Ptr)) {
        for (const auto& t : *type.extract<Array::Ptr>()) types.push_back(t.toString());
      } else {
        types.push_back(type.toString());
      }
      node.typeMessage = "must be ";
      for (std::size_t i = 0; i < types.size(); ++i) {
        node.typeMessage += (i == 0 ? "" : " or ") + article(types[i]);
      }
      node.types = std::move(types);
    }
    if (auto values = object.getArray("enum")) {
      node.hasEnum = true;
      std::string allowed;
      for (const auto& v : *values) {
        const std::string candidate = CompactJson::write(v);
        if (v.isString()) {
          node.enumStrings.push_back(v.toString());
        } else {
          node.enumCanonical.push_back(candidate);
        }
        allowed += (allowed.empty() ? "" : ", ") + (v.isString() ? v.toString() : candidate);
      }
      node.enumMessage = "must be one of: " + allowed;
    }
    if (object.has("minLength")) {
      node.minLength = object.getValue<std::size_t>("minLength");
      node.minLengthMessage =
          "must be at least " + object.get("minLength").toString() + " characters";
    }
    if (object.has("pattern")) {
      const std::string pattern = object.getValue<std::string>("pattern");
      node.pattern = regex(pattern, where);
      node.patternMessage = "must match " + pattern;
    }
    if (object.has("minimum")) {
      node.minimum = object.get("minimum").convert<double>();
      node.minimumMessage = "must be at least " + object.get("minimum").toString();
    }
    if (auto required = object.getArray("required")) {
      for (const auto& name : *required) node.required.push_back(name.toString());
    }
    node.uniqueItems = object.has("uniqueItems") && object.get("uniqueItems").convert<bool>();
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument(where + ": " + e.displayText());
  }
  if (auto properties = object.getObject("properties")) {
    for (const auto& [name, sub] : *properties) {
      node.properties[name] = compile(sub, where + "/properties/" + name, depth + 1);
    }
  }
  if (object.has("additionalProperties")) {
    node.additionalProperties =
        compile(object.get("additionalProperties"), where + "/additionalProperties", depth + 1);
  }
  if (object.has("items")) node.items = compile(object.get("items"), where + "/items", depth + 1);
  if (auto oneOf = object.getArray("oneOf")) {
    for (std::size_t i = 0; i < oneOf->size(); ++i) {
      node.oneOf.push_back(compile(oneOf->get(static_cast<unsigned>(i)),
                                   where + "/oneOf/" + std::to_string(i), depth + 1));
    }
  }
}

}  // namespace telemetry::collector
