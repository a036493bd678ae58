#include "embedding/hibernation.hpp"

#include <charconv>
#include <cstdint>
#include <vector>

#include "delivery/reporter.hpp"

namespace telemetry::hibernation {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

constexpr std::string_view kFormat = "v1";

std::int64_t epochMs(system_clock::time_point at) {
  return std::chrono::duration_cast<milliseconds>(at.time_since_epoch()).count();
}

system_clock::time_point fromEpochMs(std::int64_t ms) {
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(milliseconds(ms)));
}

std::optional<std::int64_t> parseNumber(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string encodeSchedule(const ReporterSchedule& s) {
  return std::string(kFormat) + ' ' + std::to_string(epochMs(s.nextFull)) + ' ' +
         std::to_string(s.fullRetryDelay.count()) + ' ' +
         (s.nextInitialTry ? std::to_string(epochMs(*s.nextInitialTry)) : "-") + ' ' +
         std::to_string(s.initialRetryDelay.count());
}

std::optional<ReporterSchedule> decodeSchedule(std::string_view text) {
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    const auto space = text.find(' ', start);
    fields.push_back(text.substr(start, space - start));
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  if (fields.size() != 5 || fields[0] != kFormat) return std::nullopt;
  auto nextFull = parseNumber(fields[1]);
  auto fullRetry = parseNumber(fields[2]);
  auto initialRetry = parseNumber(fields[4]);
  if (!nextFull || !fullRetry || !initialRetry || *fullRetry < 0 || *initialRetry < 0) {
    return std::nullopt;
  }
  ReporterSchedule schedule{fromEpochMs(*nextFull), milliseconds(*fullRetry), std::nullopt,
                            milliseconds(*initialRetry)};
  if (fields[3] != "-") {
    auto initialTry = parseNumber(fields[3]);
    if (!initialTry) return std::nullopt;
    schedule.nextInitialTry = fromEpochMs(*initialTry);
  }
  return schedule;
}

}  // namespace telemetry::hibernation
