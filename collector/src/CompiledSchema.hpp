// A JSON Schema compiled once into plain nodes, so that validating a report walks structs
// instead of looking keywords up in the schema's JSON (and copying values) on every request.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/RegularExpression.h>

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace telemetry::collector {

/// One schema with its keywords decoded; a keyword the schema lacks is empty or null.
/// Messages are built here once, in the words ReportValidator reports them.
struct SchemaNode {
  enum class Verdict { Checks, AcceptAll, RejectAll };  // `true` and `false` schemas
  Verdict verdict = Verdict::Checks;
  const SchemaNode* ref = nullptr;  // $ref: the target alone decides, siblings are ignored

  std::optional<std::vector<std::string>> types;
  std::string typeMessage;
  bool hasEnum = false;
  std::vector<std::string> enumStrings;    // the members that are strings, as they are
  std::vector<std::string> enumCanonical;  // every other member as condensed JSON
  std::string enumMessage;
  std::optional<std::size_t> minLength;  // in code points
  std::string minLengthMessage;
  const Poco::RegularExpression* pattern = nullptr;
  std::string patternMessage;
  std::optional<double> minimum;
  std::string minimumMessage;
  std::map<std::string, const SchemaNode*, std::less<>> properties;
  const SchemaNode* additionalProperties = nullptr;
  std::vector<std::string> required;
  const SchemaNode* items = nullptr;
  bool uniqueItems = false;
  std::vector<const SchemaNode*> oneOf;
};

/// Supports type, required, properties, additionalProperties, enum, pattern, minLength,
/// minimum, items, uniqueItems, oneOf, local $ref and boolean schemas; any other validation
/// keyword is refused, so a schema change can never be silently ignored. Immutable once built.
class CompiledSchema {
 public:
  /// Throws std::invalid_argument naming the unsupported keyword or broken $ref.
  explicit CompiledSchema(const Poco::Dynamic::Var& schema);
  CompiledSchema(const CompiledSchema&) = delete;
  CompiledSchema& operator=(const CompiledSchema&) = delete;
  // Moving a deque keeps its elements where they are, so the nodes' pointers stay valid.
  CompiledSchema(CompiledSchema&&) = default;
  CompiledSchema& operator=(CompiledSchema&&) = default;

  const SchemaNode& root() const { return *root_; }

 private:
  const SchemaNode* compile(const Poco::Dynamic::Var& schema, const std::string& where, int depth);
  void fill(SchemaNode& node, const Poco::Dynamic::Var& schema, const std::string& where,
            int depth);
  const SchemaNode* resolve(const std::string& ref, const std::string& where, int depth);
  const Poco::RegularExpression* regex(const std::string& pattern, const std::string& where);

  Poco::Dynamic::Var document_;
  std::deque<SchemaNode> nodes_;  // a deque keeps the addresses the nodes point at
  std::map<std::string, const SchemaNode*> refs_;
  std::map<std::string, std::unique_ptr<Poco::RegularExpression>> patterns_;
  const SchemaNode* root_ = nullptr;
};

}  // namespace telemetry::collector
