#include "import/report_importer.hpp"

#include <chrono>
#include <deque>
#include <future>
#include <utility>

#include "import/import_line_reader.hpp"
#include "import/offline_report_line.hpp"

namespace telemetry::collector {
namespace {

// Reports in the writer's queue at once: enough for its batches, far below its capacity.
constexpr std::size_t kInFlight = 256;

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r") == std::string::npos; }

}  // namespace

ReportImporter::ReportImporter(ReportStore& store, const ReportValidator& validator, Limits limits)
    : store_(store), validator_(validator), limits_(limits) {}

ImportSummary ReportImporter::import(std::istream& in) {
  ImportSummary summary;
  std::deque<std::pair<std::size_t, std::future<StoreOutcome>>> pending;
  auto settleOldest = [&] {
    auto [number, outcome] = std::move(pending.front());
    pending.pop_front();
    switch (outcome.get()) {  // rethrows the store's failure
      case StoreOutcome::stored:
        ++summary.stored;
        break;
      case StoreOutcome::duplicate:
        ++summary.duplicates;
        break;
      case StoreOutcome::installationDeleted:
        ++summary.deleted;
        break;
      default:  // keyReused
        summary.refused.push_back(
            {number, "its Idempotency-Key was used before for a different report"});
        break;
    }
  };
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  ImportLineReader reader(in, limits_.maxLine);
  ImportLine line;
  std::size_t reports = 0;
  try {
    while (reader.next(line)) {
      if (line.problem == ImportLine::Problem::tooLong) {
        summary.refused.push_back(
            {line.number, "longer than " + std::to_string(limits_.maxLine) + " bytes"});
        continue;
      }
      if (line.problem == ImportLine::Problem::unterminated) {
        // The host ends every line with a newline: without it the file was cut short.
        summary.refused.push_back(
            {line.number, "the file ends inside this line (truncated?): not imported"});
        continue;
      }
      if (blank(line.text)) continue;
      if (++reports > limits_.maxReports) {
        summary.refused.push_back({0, "more than " + std::to_string(limits_.maxReports) +
                                          " reports: the rest of the file was not read"});
        break;
      }
      std::string problem;
      auto report = OfflineReportLine::parse(line.text, validator_, now, problem);
      if (!report) {
        summary.refused.push_back({line.number, problem});
        continue;
      }
      if (pending.size() == kInFlight) settleOldest();
      for (;;) {
        try {
          pending.emplace_back(line.number, store_.submit(*report));
          break;
        } catch (const StoreOverloaded&) {
          // The running collector's intake filled the queue: wait for ours to drain.
          if (pending.empty()) throw;
          settleOldest();
        }
      }
    }
    if (in.bad()) summary.refused.push_back({0, "the file could not be read to its end"});
    while (!pending.empty()) settleOldest();
  } catch (...) {
    // What was queued still completes; wait so no completion outlives this frame's futures.
    for (auto& entry : pending) entry.second.wait();
    throw;
  }
  return summary;
}

}  // namespace telemetry::collector
