// A JSON Schema (draft-07) validator for the keywords config/report.schema.json uses.
#pragma once

#include <rapidjson/fwd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "report/compiled_schema.hpp"

namespace telemetry::collector {

/// Where a document first breaks the schema: a JSON pointer ("" is the whole document).
struct ValidationError {
  std::string pointer;
  std::string message;
};

/// Validates documents against one schema, compiled once (CompiledSchema lists the keywords;
/// any other validation keyword is refused when the schema is loaded). Thread-safe after
/// construction.
class ReportValidator {
 public:
  /// Throws std::invalid_argument naming the unsupported keyword or broken $ref.
  explicit ReportValidator(const rapidjson::Value& schema);
  static ReportValidator fromFile(const std::filesystem::path& file);

  /// The first violation, or nothing when the document is valid.
  std::optional<ValidationError> validate(const rapidjson::Value& document) const;

  /// "~" and "/" escaped as a JSON pointer token.
  static std::string escapePointerToken(std::string_view token);

 private:
  // Where the walk is: a chain of steps up to the root, spelled out only on a failure.
  struct Path {
    const Path* parent = nullptr;
    std::string_view name;  // an object member's name when `member`, else `index`
    std::size_t index = 0;
    bool member = false;
    std::string pointer() const;
  };
  // How far validation got before failing: oneOf reports the branch that got furthest.
  struct Failure {
    ValidationError error;
    std::size_t visited = 0;       // instance values checked before the failure
    bool rejectedByFalse = false;  // "not allowed" rather than a broken value
  };
  std::optional<Failure> check(const SchemaNode& schema, const rapidjson::Value& instance,
                               const Path* path, int depth, std::size_t& visited) const;
  std::optional<Failure> checkObject(const SchemaNode& schema, const rapidjson::Value& instance,
                                     const Path* path, int depth, std::size_t& visited) const;
  std::optional<Failure> checkArray(const SchemaNode& schema, const rapidjson::Value& instance,
                                    const Path* path, int depth, std::size_t& visited) const;
  std::optional<Failure> checkOneOf(const SchemaNode& schema, const rapidjson::Value& instance,
                                    const Path* path, int depth, std::size_t& visited) const;

  CompiledSchema schema_;
};

}  // namespace telemetry::collector
