// Fuzz target: a StatsD datagram from the network, split into lines as the usage listener
// splits it, each line through parseStatsdLine().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "telemetry/usage_limits.hpp"
#include "usage/statsd_line.hpp"

namespace {

// A parsed name must be a view into the line it came from (the listener copies it later).
bool within(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view datagram(reinterpret_cast<const char*>(data), size);
  telemetry::forEachStatsdLine(datagram, [](std::string_view line) {
    const auto parsed = telemetry::parseStatsdLine(line);
    if (const auto* rejection = std::get_if<telemetry::StatsdRejection>(&parsed)) {
      if (telemetry::describe(*rejection).empty()) std::abort();
      return;
    }
    const auto& sample = std::get<telemetry::StatsdSample>(parsed);
    if (!within(sample.name, line)) std::abort();
    if (sample.kind == telemetry::StatsdSample::Kind::worker &&
        (sample.name.empty() || sample.name.size() > telemetry::kMaxUsageNameLength)) {
      std::abort();
    }
  });
  return 0;
}
