// Fuzz target: a report body as POST /ping receives it: parsed by ReportDocument, checked
// by ReportValidator against config/report.schema.json, and, when valid, turned into the
// ReceivedReport the store keeps. CompactJson's payload must always parse again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "report/compact_json.hpp"
#include "report/received_report.hpp"
#include "report/report_document.hpp"
#include "report/report_validator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace telemetry::collector;
  static const ReportValidator validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    const ReportDocument document(body);
    const std::string payload = CompactJson::write(document.root());
    try {
      const ReportDocument stored(payload);
    } catch (const JsonSyntaxError&) {
      std::abort();  // the collector would store a payload it cannot read back
    }
    if (validator.validate(document.root())) return 0;
    const ReceivedReport report = ReceivedReport::fromDocument(document.root(), "ip-hash", "", 0);
    if (report.payload.empty() || report.payloadDigest.size() != 64) std::abort();
  } catch (const JsonSyntaxError&) {
  }
  return 0;
}
