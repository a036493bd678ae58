// A JSON Schema compiled once into plain nodes, so that validating a report walks structs
// instead of looking keywords up in the schema's JSON (and copying values) on every request.
#pragma once

#include <Poco/RegularExpression.h>
#include <rapidjson/fwd.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace telemetry::collector {

static_assert(std::numeric_limits<long double>::digits >= 64,
              "SchemaNode's bounds must hold every 64-bit integer exactly");

/// A JSON number as a long double, exactly (see the static_assert above).
long double exactNumber(const rapidjson::Value& number);

/// JSON Schema's primitive types as bits of SchemaNode::types; an integral number is both
/// a number and an integer.
namespace schema_type {
inline constexpr std::uint8_t kNull = 1;
inline constexpr std::uint8_t kBoolean = 2;
inline constexpr std::uint8_t kObject = 4;
inline constexpr std::uint8_t kArray = 8;
inline constexpr std::uint8_t kString = 16;
inline constexpr std::uint8_t kNumber = 32;
inline constexpr std::uint8_t kInteger = 64;
inline constexpr std::uint8_t kAny = 127;
}  // namespace schema_type

/// One schema with its keywords decoded; a keyword the schema lacks is empty or null.
/// Messages are built here once, in the words ReportValidator reports them.
struct SchemaNode {
  enum class Verdict { checks, acceptAll, rejectAll };  // `true` and `false` schemas
  Verdict verdict = Verdict::checks;
  const SchemaNode* ref = nullptr;  // $ref: the target alone decides, siblings are ignored

  std::uint8_t types = schema_type::kAny;  // a value of none of these fails with typeMessage
  std::string typeMessage;
  bool hasEnum = false;
  std::vector<std::string> enumStrings;    // the members that are strings, as they are
  std::vector<std::string> enumCanonical;  // every other member as condensed JSON
  std::string enumMessage;
  std::optional<std::size_t> minLength;  // in code points
  std::string minLengthMessage;
  const Poco::RegularExpression* pattern = nullptr;
  std::string patternMessage;
  // Bounds as long double, which holds every int64, uint64 and double exactly, so that
  // 2^63 is above 2^63-1 (as a double the two are equal). A document's integer outside the
  // 64-bit range arrives as a double (RapidJSON), rounded: exact enough for bounds within
  // that range, as the report schema's are (the cross-check in ReportValidatorTest found it).
  std::optional<long double> minimum;
  std::string minimumMessage;
  std::optional<long double> maximum;
  std::string maximumMessage;
  std::map<std::string, const SchemaNode*, std::less<>> properties;
  const SchemaNode* additionalProperties = nullptr;
  std::vector<std::string> required;
  const SchemaNode* items = nullptr;
  bool uniqueItems = false;
  std::vector<const SchemaNode*> oneOf;
};

/// Supports type, required, properties, additionalProperties, enum, pattern, minLength,
/// minimum, maximum, items, uniqueItems, oneOf, local $ref and boolean schemas; any other
/// validation keyword is refused, so a schema change can never be silently ignored. Immutable once
/// built.
class CompiledSchema {
 public:
  /// Throws std::invalid_argument naming the unsupported keyword or broken $ref.
  explicit CompiledSchema(const rapidjson::Value& schema);
  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;
  // Moving a deque keeps its elements where they are, so the nodes' pointers stay valid.
  CompiledSchema(CompiledSchema&&) = default;
  CompiledSchema& operator=(CompiledSchema&&) = default;

  const SchemaNode& root() const { return *root_; }

 private:
  const SchemaNode* compile(const rapidjson::Value& schema, const std::string& where, int depth);
  void fill(SchemaNode& node, const rapidjson::Value& schema, const std::string& where, int depth);
  const SchemaNode* resolve(const std::string& ref, const std::string& where, int depth);
  const Poco::RegularExpression* regex(const std::string& pattern, const std::string& where);

  const rapidjson::Value* document_ = nullptr;  // the whole schema, while compiling
  std::deque<SchemaNode> nodes_;                // a deque keeps the addresses the nodes point at
  std::map<std::string, const SchemaNode*> refs_;
  std::map<std::string, std::unique_ptr<Poco::RegularExpression>> patterns_;
  const SchemaNode* root_ = nullptr;
};

}  // namespace telemetry::collector
