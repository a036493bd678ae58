#include "usage/statsd_line.hpp"

#include <charconv>
#include <cmath>
#include <optional>

#include "report/utf8_text.hpp"
#include "telemetry/usage_count.hpp"
#include "telemetry/usage_limits.hpp"

namespace telemetry {
namespace {

constexpr std::string_view kCommandPrefix = "command.";
constexpr std::string_view kWorkerSet = "worker";
// 2^63 as a double: a scaled count at or above it is capped at kMaxUsageCount.
constexpr double kScaledCountLimit = 9223372036854775808.0;

/// The next `|`-separated field of `rest`, removed from it.
std::string_view nextField(std::string_view& rest) noexcept {
  const auto bar = rest.find('|');
  std::string_view field = rest.substr(0, bar);
  rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
  return field;
}

std::optional<double> finiteNumber(std::string_view text) noexcept {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::variant<StatsdSample, StatsdRejection> counter(std::string_view name, std::string_view value,
                                                    double rate) noexcept {
  StatsdSample sample;
  if (name.starts_with(kCommandPrefix)) {
    sample.kind = StatsdSample::Kind::command;
    sample.name = name.substr(kCommandPrefix.size());
    if (!isAcceptedText(sample.name)) return StatsdRejection::badText;
  } else if (auto metric = metricFromName(name); metric && *metric != Metric::uniqueTaskWorkers) {
    sample.kind = StatsdSample::Kind::metric;
    sample.name = name;
    sample.metric = *metric;
  } else {
    return StatsdRejection::unknownName;
  }
  const std::optional<std::uint64_t> number = parseUsageCount(value);
  if (!number) return StatsdRejection::badValue;
  if (rate == 1) {
    sample.count = *number;
    return sample;
  }
  const double scaled = std::round(static_cast<double>(*number) / rate);
  sample.count = scaled >= kScaledCountLimit ? kMaxUsageCount : static_cast<std::uint64_t>(scaled);
  return sample;
}

std::variant<StatsdSample, StatsdRejection> workerSighting(std::string_view name,
                                                           std::string_view id) noexcept {
  if (name != kWorkerSet) return StatsdRejection::unknownName;
  if (id.empty() || id.size() > kMaxUsageNameLength) return StatsdRejection::badValue;
  if (!isAcceptedText(id)) return StatsdRejection::badText;
  return StatsdSample{StatsdSample::Kind::worker, id, Metric::rootProcessInstanceStart, 1};
}

}  // namespace

std::string_view describe(StatsdRejection rejection) noexcept {
  switch (rejection) {
    case StatsdRejection::malformed:
      return "not a StatsD line (name:value|type)";
    case StatsdRejection::unsupportedType:
      return "only counters (|c) and worker sets (|s) are counted; gauges, timers and "
             "histograms are ignored";
    case StatsdRejection::badValue:
      return "a counter must be a whole number from 1 to 9223372036854775807, a worker id 1 to "
             "255 bytes long";
    case StatsdRejection::badText:
      return "command names and worker ids must be UTF-8 without NUL";
    case StatsdRejection::badSampleRate:
      return "the sample rate must be @ followed by a number above 0 and at most 1";
    case StatsdRejection::unknownField:
      return "after the type only @rate and #tags may follow";
    case StatsdRejection::unknownName:
      break;
  }
  return "unknown name: counters are command.NAME, root-process-instance-start, "
         "activity-instance-start, executed-decision-instances or executed-decision-elements; "
         "the only set is worker";
}

std::variant<StatsdSample, StatsdRejection> parseStatsdLine(std::string_view line) noexcept {
  const auto colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return StatsdRejection::malformed;
  const std::string_view name = line.substr(0, colon);
  std::string_view rest = line.substr(colon + 1);
  if (rest.find('|') == std::string_view::npos) return StatsdRejection::malformed;
  const std::string_view value = nextField(rest);
  const std::string_view type = nextField(rest);
  double rate = 1;
  while (!rest.empty()) {
    const std::string_view field = nextField(rest);
    if (field.starts_with('@')) {
      const std::optional<double> parsed = finiteNumber(field.substr(1));
      if (!parsed || *parsed <= 0 || *parsed > 1) return StatsdRejection::badSampleRate;
      rate = *parsed;
    } else if (!field.starts_with('#')) {
      return StatsdRejection::unknownField;
    }
  }
  if (type == "c") return counter(name, value, rate);
  if (type == "s") return workerSighting(name, value);
  return type.empty() ? StatsdRejection::malformed : StatsdRejection::unsupportedType;
}

}  // namespace telemetry
