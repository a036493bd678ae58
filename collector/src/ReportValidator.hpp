// A JSON Schema (draft-07) validator for the keywords config/report.schema.json uses.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/RegularExpression.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace telemetry::collector {

/// Where a document first breaks the schema: a JSON pointer ("" is the whole document).
struct ValidationError {
  std::string pointer;
  std::string message;
};

/// Validates documents against one schema. Supports type, required, properties,
/// additionalProperties, enum, pattern, minLength, minimum, items, uniqueItems, oneOf, local
/// $ref and boolean schemas; any other validation keyword is refused when the schema is loaded,
/// so a schema change can never be silently ignored. Thread-safe after construction.
class ReportValidator {
 public:
  /// Throws std::invalid_argument naming the unsupported keyword or broken $ref.
  explicit ReportValidator(Poco::Dynamic::Var schema);
  static ReportValidator fromFile(const std::filesystem::path& file);

  /// The first violation, or nothing when the document is valid.
  std::optional<ValidationError> validate(const Poco::Dynamic::Var& document) const;

  /// "~" and "/" escaped as a JSON pointer token.
  static std::string escapePointerToken(const std::string& token);

 private:
  // How far validation got before failing: oneOf reports the branch that got furthest.
  struct Failure {
    ValidationError error;
    std::size_t visited = 0;       // instance values checked before the failure
    bool rejectedByFalse = false;  // "not allowed" rather than a broken value
  };
  std::optional<Failure> check(const Poco::Dynamic::Var& schema, const Poco::Dynamic::Var& instance,
                               const std::string& pointer, int depth, std::size_t& visited) const;
  const Poco::Dynamic::Var& resolve(const std::string& ref) const;
  void prepare(const Poco::Dynamic::Var& schema, const std::string& where, int depth);

  Poco::Dynamic::Var root_;
  std::map<std::string, std::shared_ptr<Poco::RegularExpression>> patterns_;
  std::map<std::string, Poco::Dynamic::Var> refs_;
};

}  // namespace telemetry::collector
