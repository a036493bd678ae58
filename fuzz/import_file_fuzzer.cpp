// Fuzz target: an offline report file (telemetry-collector import, POST /imports) through
// ImportLineReader and OfflineReportLine::parse, as ReportImporter reads it but without a
// store. Lines are numbered 1, 2, ... and never longer than the limit; an accepted report
// has its key and no IP hash; a refusal always says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "import/import_line_reader.hpp"
#include "import/offline_report_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace telemetry::collector;
  static const ReportValidator validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);
  constexpr std::size_t kMaxLine = 4096;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  ImportLineReader reader(in, kMaxLine);
  ImportLine line;
  std::size_t expected = 0;
  while (reader.next(line)) {
    if (line.number != ++expected || line.text.size() > kMaxLine) std::abort();
    if (line.problem == ImportLine::Problem::tooLong) {
      if (!line.text.empty()) std::abort();
      continue;
    }
    std::string problem;
    const auto report = OfflineReportLine::parse(line.text, validator, 0, problem);
    if (report && (report->idempotencyKey.empty() || !report->ipHash.empty())) std::abort();
    if (!report && problem.empty()) std::abort();
  }
  return 0;
}
