#include "report/report_validator.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/istreamwrapper.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "report/compact_json.hpp"
#include "report/json_value.hpp"

namespace telemetry::collector {
namespace {

using rapidjson::Value;

// Deep enough for any sane document, shallow enough that a $ref cycle cannot exhaust the stack.
constexpr int kMaxDocumentDepth = 64;

bool isIntegral(const Value& number) {
  if (!number.IsDouble()) return true;
  const double d = number.GetDouble();
  return std::isfinite(d) && std::floor(d) == d;
}

std::uint8_t typeOf(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return schema_type::kNull;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return schema_type::kBoolean;
    case rapidjson::kObjectType:
      return schema_type::kObject;
    case rapidjson::kArrayType:
      return schema_type::kArray;
    case rapidjson::kStringType:
      return schema_type::kString;
    case rapidjson::kNumberType:
      return schema_type::kNumber | (isIntegral(v) ? schema_type::kInteger : 0);
  }
  return 0;
}

std::size_t codePoints(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// An item's identity for uniqueItems: strings as they are (no serialising), anything else
// as condensed JSON; the tag keeps the two apart, as their JSON forms are.
std::string identity(const Value& item) {
  return item.IsString() ? 's' + std::string(textOf(item)) : 'j' + CompactJson::write(item);
}

}  // namespace

std::string ReportValidator::escapePointerToken(std::string_view token) {
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
  std::string token = member ? escapePointerToken(name) : std::to_string(index);
  return (parent ? parent->pointer() : std::string()) + "/" + token;
}

ReportValidator::ReportValidator(const Value& schema) : schema_(schema) {}

ReportValidator ReportValidator::fromFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::invalid_argument(file.string() + ": cannot read the report schema");
  rapidjson::IStreamWrapper stream(in);
  rapidjson::Document schema;
  schema.ParseStream<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(
      stream);
  if (schema.HasParseError()) {
    throw std::invalid_argument(file.string() + ": " +
                                rapidjson::GetParseError_En(schema.GetParseError()) + " at byte " +
                                std::to_string(schema.GetErrorOffset()));
  }
  return ReportValidator(schema);
}

std::optional<ValidationError> ReportValidator::validate(const Value& document) const {
  std::size_t visited = 0;
  auto failure = check(schema_.root(), document, nullptr, 0, visited);
  if (!failure) return std::nullopt;
  return failure->error;
}

std::optional<ReportValidator::Failure> ReportValidator::check(const SchemaNode& s,
                                                               const Value& instance,
                                                               const Path* path, int depth,
                                                               std::size_t& visited) const {
  auto error = [&](const std::string& message) {
    return std::optional<Failure>(
        Failure{ValidationError{path ? path->pointer() : std::string(), message}, visited});
  };
  if (depth > kMaxDocumentDepth) return error("is nested too deeply");
  if (s.verdict == SchemaNode::Verdict::acceptAll) return std::nullopt;
  if (s.verdict == SchemaNode::Verdict::rejectAll) {
    auto failure = error("is not allowed");
    failure->rejectedByFalse = true;
    return failure;
  }
  ++visited;
  if (s.ref) return check(*s.ref, instance, path, depth + 1, visited);

  if ((typeOf(instance) & s.types) == 0) return error(s.typeMessage);
  if (s.hasEnum) {
    const bool found =
        instance.IsString()
            ? std::ranges::find(s.enumStrings, textOf(instance)) != s.enumStrings.end()
            : std::ranges::find(s.enumCanonical, CompactJson::write(instance)) !=
                  s.enumCanonical.end();
    if (!found) return error(s.enumMessage);
  }
  if (instance.IsString() && s.minLength && codePoints(textOf(instance)) < *s.minLength) {
    return error(s.minLengthMessage);
  }
  if (instance.IsString() && s.pattern) {
    // Poco's regex takes a std::string: one per thread, reused, instead of one per value.
    thread_local std::string text;
    text.assign(textOf(instance));
    Poco::RegularExpression::Match match;
    if (s.pattern->match(text, 0, match) == 0) return error(s.patternMessage);
  }
  if (s.minimum && instance.IsNumber() && exactNumber(instance) < *s.minimum) {
    return error(s.minimumMessage);
  }
  if (s.maximum && instance.IsNumber() && exactNumber(instance) > *s.maximum) {
    return error(s.maximumMessage);
  }
  if (instance.IsObject()) {
    if (auto failure = checkObject(s, instance, path, depth, visited)) return failure;
  }
  if (instance.IsArray()) {
    if (auto failure = checkArray(s, instance, path, depth, visited)) return failure;
  }
  return checkOneOf(s, instance, path, depth, visited);
}

std::optional<ReportValidator::Failure> ReportValidator::checkObject(const SchemaNode& s,
                                                                     const Value& instance,
                                                                     const Path* path, int depth,
                                                                     std::size_t& visited) const {
  if (!s.properties.empty() || s.additionalProperties) {
    // In the document's order: the first bad member is the one reported.
    for (const auto& [name, value] : instance.GetObject()) {
      const auto property = s.properties.find(textOf(name));
      const SchemaNode* sub =
          property != s.properties.end() ? property->second : s.additionalProperties;
      if (!sub) continue;
      const Path child{path, textOf(name), 0, true};
      if (auto failure = check(*sub, value, &child, depth + 1, visited)) return failure;
    }
  }
  for (const auto& name : s.required) {
    if (!findMember(instance, name)) {
      const Path child{path, name, 0, true};
      return Failure{ValidationError{child.pointer(), "is required"}, visited};
    }
  }
  return std::nullopt;
}

std::optional<ReportValidator::Failure> ReportValidator::checkArray(const SchemaNode& s,
                                                                    const Value& instance,
                                                                    const Path* path, int depth,
                                                                    std::size_t& visited) const {
  const auto array = instance.GetArray();
  if (s.items) {
    std::size_t i = 0;
    for (const auto& item : array) {
      const Path child{path, {}, i++};
      if (auto failure = check(*s.items, item, &child, depth + 1, visited)) return failure;
    }
  }
  if (s.uniqueItems) {
    std::set<std::string> seen;
    std::size_t i = 0;
    for (const auto& item : array) {
      const Path child{path, {}, i++};
      if (!seen.insert(identity(item)).second) {
        return Failure{ValidationError{child.pointer(), "repeats an earlier item"}, visited};
      }
    }
  }
  return std::nullopt;
}

std::optional<ReportValidator::Failure> ReportValidator::checkOneOf(const SchemaNode& s,
                                                                    const Value& instance,
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
