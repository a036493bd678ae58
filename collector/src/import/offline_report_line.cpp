#include "import/offline_report_line.hpp"

#include <algorithm>
#include <array>

#include "endpoints/idempotency_key.hpp"
#include "report/json_value.hpp"
#include "report/report_document.hpp"

namespace telemetry::collector {
namespace {

constexpr std::array<std::string_view, 3> kMembers = {"kind", "idempotency-key", "report"};

}  // namespace

std::optional<ReceivedReport> OfflineReportLine::parse(std::string_view line,
                                                       const ReportValidator& validator,
                                                       std::int64_t receivedAt,
                                                       std::string& problem) {
  std::optional<ReportDocument> document;
  try {
    document.emplace(line);
  } catch (const JsonSyntaxError& e) {
    problem = e.what();
    return std::nullopt;
  }
  const auto& root = document->root();
  if (!root.IsObject()) {
    problem =
        "not an offline report: a JSON object with \"kind\", \"idempotency-key\" and "
        "\"report\" is expected";
    return std::nullopt;
  }
  for (auto member = root.MemberBegin(); member != root.MemberEnd(); ++member) {
    const std::string_view name = textOf(member->name);
    if (std::find(kMembers.begin(), kMembers.end(), name) == kMembers.end()) {
      problem = "unknown member \"" + std::string(name.substr(0, 64)) + "\"";
      return std::nullopt;
    }
  }
  const auto kind = root.FindMember("kind");
  const auto key = root.FindMember("idempotency-key");
  const auto report = root.FindMember("report");
  if (kind == root.MemberEnd() || !kind->value.IsString() ||
      (textOf(kind->value) != "initial" && textOf(kind->value) != "full")) {
    problem = "\"kind\" must be \"initial\" or \"full\"";
    return std::nullopt;
  }
  if (key == root.MemberEnd() || !key->value.IsString() || textOf(key->value).empty() ||
      !isAcceptableIdempotencyKey(textOf(key->value))) {
    problem = "\"idempotency-key\" must be 1 to 200 printable characters";
    return std::nullopt;
  }
  if (report == root.MemberEnd()) {
    problem = "\"report\" is missing";
    return std::nullopt;
  }
  if (auto error = validator.validate(report->value)) {
    problem = "/report" + error->pointer + " " + error->message;
    if (error->pointer.empty()) problem = "the report " + error->message;
    return std::nullopt;
  }
  auto received = ReceivedReport::fromDocument(report->value, std::string(),
                                               std::string(textOf(key->value)), receivedAt);
  if (received.initial != (textOf(kind->value) == "initial")) {
    problem = "\"kind\" says " + std::string(textOf(kind->value)) + " but the report is " +
              (received.initial ? "an initial" : "a full") + " report";
    return std::nullopt;
  }
  return received;
}

}  // namespace telemetry::collector
