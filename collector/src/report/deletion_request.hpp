// The body of POST /deletions: {"installation": "<the installation id>"} and nothing else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telemetry::collector {

/// A deletion request as the collector accepts it: a JSON object (parsed as ReportDocument
/// parses reports: valid UTF-8, no repeated member, bounded depth) whose only member is
/// "installation", a lower-case UUID as in the report schema.
class DeletionRequest {
 public:
  /// Why a body is refused: the answer's text and, when one member is at fault, its name.
  struct Problem {
    std::string message;
    std::optional<std::string> field;
    bool notJson = false;  ///< not JSON at all, rather than the wrong JSON
  };

  /// The installation id, or why the body is not a deletion request. Never throws.
  static std::optional<DeletionRequest> parse(std::string_view body, Problem& problem);

  const std::string& installation() const { return installation_; }

 private:
  explicit DeletionRequest(std::string installation) : installation_(std::move(installation)) {}

  std::string installation_;
};

/// True for a lower-case UUID such as 8343cc7a-8ad1-42d4-97d2-43452c0bdfa3 (the report
/// schema's "installation" pattern).
bool isInstallationId(std::string_view text);

}  // namespace telemetry::collector
