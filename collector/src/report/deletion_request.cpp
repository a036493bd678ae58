#include "report/deletion_request.hpp"

#include "report/report_document.hpp"

namespace telemetry::collector {
namespace {

bool isPlainName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_';
    if (!plain) return false;
  }
  return true;
}

}  // namespace

bool isInstallationId(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::optional<DeletionRequest> DeletionRequest::parse(std::string_view body, Problem& problem) {
  std::optional<ReportDocument> document;
  try {
    document.emplace(body);
  } catch (const JsonSyntaxError& e) {
    problem = {e.what(), std::nullopt, true};
    return std::nullopt;
  }
  const auto& root = document->root();
  if (!root.IsObject()) {
    problem = {"the deletion request must be a JSON object", std::nullopt};
    return std::nullopt;
  }
  for (const auto& member : root.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (name != "installation") {
      problem = {"unknown member (only \"installation\" is allowed)", std::nullopt};
      // Named only when it is a short plain word: the name goes back to the client.
      if (isPlainName(name)) problem.field = "/" + std::string(name);
      return std::nullopt;
    }
  }
  const auto found = root.FindMember("installation");
  if (found == root.MemberEnd()) {
    problem = {"/installation is required", "/installation"};
    return std::nullopt;
  }
  const auto& id = found->value;
  if (!id.IsString() || !isInstallationId(std::string_view(id.GetString(), id.GetStringLength()))) {
    problem = {"/installation must be an installation id (a lower-case UUID)", "/installation"};
    return std::nullopt;
  }
  return DeletionRequest(std::string(id.GetString(), id.GetStringLength()));
}

}  // namespace telemetry::collector
