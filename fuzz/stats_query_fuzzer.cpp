// Fuzzes the query string of GET /, /api/stats and /api/stats.csv through StatsQuery::parse.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dashboard/stats_query.hpp"

namespace tc = telemetry::collector;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t kToday = 20793;  // 2026-12-06
  tc::StatsFilter filter;
  try {
    filter = tc::StatsQuery::parse(query, kToday);
  } catch (const tc::StatsQueryError& e) {
    const std::string_view message = e.what();
    if (message.empty()) std::abort();
    // The message may be logged and goes into JSON: printable ASCII only.
    for (char c : message) {
      if (c < 0x20 || c > 0x7e) std::abort();
    }
    return 0;
  }
  if (!filter.fromDay || !filter.toDay || *filter.fromDay > *filter.toDay ||
      *filter.toDay - *filter.fromDay >= tc::StatsQuery::kMaxDays) {
    std::abort();
  }
  if (filter.version.size() > tc::StatsQuery::kMaxValueBytes ||
      filter.edition.size() > tc::StatsQuery::kMaxValueBytes ||
      filter.version.find('\0') != std::string::npos ||
      filter.edition.find('\0') != std::string::npos) {
    std::abort();
  }
  // What is accepted formats into a query string that parses back into the same filter.
  const auto again = tc::StatsQuery::parse(tc::StatsQuery::format(filter), kToday);
  if (again.version != filter.version || again.edition != filter.edition ||
      again.fromDay != filter.fromDay || again.toDay != filter.toDay) {
    std::abort();
  }
  return 0;
}
