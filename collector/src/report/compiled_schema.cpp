#include "report/compiled_schema.hpp"

#include <Poco/Exception.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string_view>

#include "report/compact_json.hpp"
#include "report/json_value.hpp"

namespace telemetry::collector {
namespace {

using rapidjson::Value;

// Deep enough for any sane schema, shallow enough that a $ref cycle cannot exhaust the stack.
constexpr int kMaxSchemaDepth = 64;

const std::set<std::string, std::less<>> kSupported{
    "type",    "required", "properties", "additionalProperties", "enum",  "pattern", "minLength",
    "minimum", "maximum",  "items",      "uniqueItems",          "oneOf", "$ref",    "definitions"};
// x-purpose and x-filled-by document the host's fields (the data dictionary, docs/data.md).
const std::set<std::string, std::less<>> kAnnotations{"$schema",     "$id",       "title",
                                                      "description", "default",   "examples",
                                                      "$comment",    "x-purpose", "x-filled-by"};

struct TypeName {
  std::string_view name;
  std::uint8_t bits;
};
constexpr TypeName kTypes[] = {
    {"null", schema_type::kNull},      {"boolean", schema_type::kBoolean},
    {"object", schema_type::kObject},  {"array", schema_type::kArray},
    {"string", schema_type::kString},  {"number", schema_type::kNumber},
    {"integer", schema_type::kInteger}};

std::string article(std::string_view type) {
  return (type == "object" || type == "array" || type == "integer" ? "an " : "a ") +
         std::string(type);
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

// A keyword's value that must be of one kind; `what` completes "KEYWORD must be ...".
const Value& expect(const Value& value, bool ok, std::string_view keyword, const char* what,
                    const std::string& where) {
  if (!ok) throw std::invalid_argument(where + ": " + std::string(keyword) + " must be " + what);
  return value;
}

}  // namespace

long double exactNumber(const Value& number) {
  if (number.IsInt64()) return static_cast<long double>(number.GetInt64());
  if (number.IsUint64()) return static_cast<long double>(number.GetUint64());
  return static_cast<long double>(number.GetDouble());
}

CompiledSchema::CompiledSchema(const Value& schema) : document_(&schema) {
  root_ = compile(schema, "#", 0);
  document_ = nullptr;
}

const SchemaNode* CompiledSchema::compile(const Value& schema, const std::string& where,
                                          int depth) {
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
  const Value* target = document_;
  std::string rest = ref.substr(1);
  while (!rest.empty()) {
    const auto next = rest.find('/', 1);
    const std::string token =
        unescapeToken(rest.substr(1, next == std::string::npos ? std::string::npos : next - 1));
    rest = next == std::string::npos ? std::string() : rest.substr(next);
    target = findMember(*target, token);
    if (!target) throw std::invalid_argument(where + ": $ref '" + ref + "' points nowhere");
  }
  auto& node = nodes_.emplace_back();
  refs_[ref] = &node;
  fill(node, *target, ref, depth + 1);
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

void CompiledSchema::fill(SchemaNode& node, const Value& schema, const std::string& where,
                          int depth) {
  if (depth > kMaxSchemaDepth) throw std::invalid_argument(where + ": schema nested too deeply");
  if (schema.IsBool()) {
    node.verdict =
        schema.GetBool() ? SchemaNode::Verdict::acceptAll : SchemaNode::Verdict::rejectAll;
    return;
  }
  if (!schema.IsObject()) throw std::invalid_argument(where + ": a schema must be an object");
  for (auto member = schema.MemberBegin(); member != schema.MemberEnd(); ++member) {
    const std::string_view keyword = textOf(member->name);
    if (!kSupported.contains(keyword) && !kAnnotations.contains(keyword)) {
      throw std::invalid_argument(where + ": unsupported schema keyword '" + std::string(keyword) +
                                  "'");
    }
  }
  if (const auto* ref = findMember(schema, "$ref")) {
    node.ref =
        resolve(std::string(textOf(expect(*ref, ref->IsString(), "$ref", "a string", where))),
                where, depth);
  }
  if (const auto* type = findMember(schema, "type")) {
    expect(*type, type->IsString() || type->IsArray(), "type", "a type name or an array of them",
           where);
    const Value* names = type->IsArray() ? type->Begin() : type;
    const Value* namesEnd = type->IsArray() ? type->End() : type + 1;
    node.types = 0;
    node.typeMessage = "must be ";
    for (const Value* name = names; name != namesEnd; ++name) {
      const std::string_view text = name->IsString() ? textOf(*name) : std::string_view();
      const auto* known = std::ranges::find(kTypes, text, &TypeName::name);
      expect(*name, known != std::end(kTypes), "type", "a JSON Schema type name", where);
      node.types |= known->bits;
      node.typeMessage += (name == names ? "" : " or ") + article(text);
    }
  }
  if (const auto* values = findMember(schema, "enum")) {
    expect(*values, values->IsArray(), "enum", "an array", where);
    node.hasEnum = true;
    std::string allowed;
    for (const auto& v : values->GetArray()) {
      const std::string text = v.IsString() ? std::string(textOf(v)) : CompactJson::write(v);
      (v.IsString() ? node.enumStrings : node.enumCanonical).push_back(text);
      allowed += (allowed.empty() ? "" : ", ") + text;
    }
    node.enumMessage = "must be one of: " + allowed;
  }
  if (const auto* minLength = findMember(schema, "minLength")) {
    expect(*minLength, minLength->IsUint64(), "minLength", "a non-negative integer", where);
    node.minLength = minLength->GetUint64();
    node.minLengthMessage = "must be at least " + CompactJson::write(*minLength) + " characters";
  }
  if (const auto* pattern = findMember(schema, "pattern")) {
    const std::string text(
        textOf(expect(*pattern, pattern->IsString(), "pattern", "a string", where)));
    node.pattern = regex(text, where);
    node.patternMessage = "must match " + text;
  }
  if (const auto* minimum = findMember(schema, "minimum")) {
    node.minimum = exactNumber(expect(*minimum, minimum->IsNumber(), "minimum", "a number", where));
    node.minimumMessage = "must be at least " + CompactJson::write(*minimum);
  }
  if (const auto* maximum = findMember(schema, "maximum")) {
    node.maximum = exactNumber(expect(*maximum, maximum->IsNumber(), "maximum", "a number", where));
    node.maximumMessage = "must be at most " + CompactJson::write(*maximum);
  }
  if (const auto* required = findMember(schema, "required")) {
    expect(*required, required->IsArray(), "required", "an array of names", where);
    for (const auto& name : required->GetArray()) {
      expect(name, name.IsString(), "required", "an array of names", where);
      node.required.emplace_back(textOf(name));
    }
  }
  if (const auto* unique = findMember(schema, "uniqueItems")) {
    node.uniqueItems =
        expect(*unique, unique->IsBool(), "uniqueItems", "true or false", where).GetBool();
  }
  if (const auto* properties = findMember(schema, "properties")) {
    expect(*properties, properties->IsObject(), "properties", "an object", where);
    for (const auto& [name, sub] : properties->GetObject()) {
      const std::string text(textOf(name));
      node.properties[text] = compile(sub, where + "/properties/" + text, depth + 1);
    }
  }
  if (const auto* additional = findMember(schema, "additionalProperties")) {
    node.additionalProperties = compile(*additional, where + "/additionalProperties", depth + 1);
  }
  if (const auto* items = findMember(schema, "items")) {
    node.items = compile(*items, where + "/items", depth + 1);
  }
  if (const auto* oneOf = findMember(schema, "oneOf")) {
    expect(*oneOf, oneOf->IsArray(), "oneOf", "an array of schemas", where);
    for (rapidjson::SizeType i = 0; i < oneOf->Size(); ++i) {
      node.oneOf.push_back(compile((*oneOf)[i], where + "/oneOf/" + std::to_string(i), depth + 1));
    }
  }
}

}  // namespace telemetry::collector
