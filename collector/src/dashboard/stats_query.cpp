#include "dashboard/stats_query.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "telemetry/settings/did_you_mean.hpp"

namespace telemetry::collector {
namespace {

constexpr std::array<std::string_view, 4> kNames{"version", "edition", "from", "to"};
constexpr std::size_t kMaxQueryBytes = 4096;

// A client-chosen name goes into the error message only when it is short printable ASCII:
// the message is JSON and may be logged.
std::string shown(std::string_view name) {
  if (name.empty() || name.size() > 40) return "a parameter";
  for (char c : name) {
    if (c < 0x20 || c > 0x7e || c == '\'') return "a parameter";
  }
  return "'" + std::string(name) + "'";
}

// RapidJSON's output stream concept, for Validate to write to nowhere.
struct NoOutput {
  void Put(char) {}
};

// RapidJSON's validation, as for report bodies: no overlong forms, no surrogates. A
// MemoryStream, not a StringStream: Validate reads a truncated sequence's whole length, and
// only MemoryStream stops at the end (found by the stats_query fuzz target).
bool isUtf8(std::string_view text) {
  rapidjson::MemoryStream in(text.data(), text.size());  // the caller refused NUL already
  NoOutput out;
  while (in.Tell() < text.size()) {
    if (!rapidjson::UTF8<>::Validate(in, out)) return false;
  }
  return true;
}

std::string decoded(std::string_view raw, std::string_view blame) {
  // Form encoding: a literal '+' is a space (a '+' itself arrives as %2B).
  std::string spaced(raw);
  std::replace(spaced.begin(), spaced.end(), '+', ' ');
  std::string out;
  try {
    Poco::URI::decode(spaced, out);
  } catch (const Poco::SyntaxException&) {
    throw StatsQueryError(std::string(blame),
                          shown(blame) + " has a broken percent-encoding (% needs two hex digits)");
  }
  return out;
}

}  // namespace

StatsFilter StatsQuery::parse(std::string_view query, std::int64_t today) {
  if (query.size() > kMaxQueryBytes) {
    throw StatsQueryError(
        "", "the query string is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  std::array<std::optional<std::string>, kNames.size()> values;
  while (!query.empty()) {
    const auto end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    query = end == query.npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;  // "a=1&&b=2", a trailing '&': nothing asked for
    const auto equals = pair.find('=');
    const std::string name = decoded(pair.substr(0, equals), pair.substr(0, equals));
    std::size_t index = 0;
    while (index < kNames.size() && kNames[index] != name) ++index;
    if (index == kNames.size()) {
      // A near miss is a typo that would show unfiltered figures as if filtered; anything
      // else (a cache-buster such as "_=1712345", a tracking tag) was always ignored here.
      // Nearer than for config keys: one- and two-letter names are all 2 edits from "to".
      const std::string nearest = settings::closestMatch(name, kNames);
      if (nearest.empty()) continue;
      const std::size_t edits = settings::editDistance(name, nearest);
      if (edits > 2 || (edits == 2 && name.size() < 4)) continue;
      const std::string suggestion = " (did you mean '" + nearest + "'?)";
      const std::string label = shown(name);
      throw StatsQueryError(name, "unknown parameter" +
                                      (label.front() == '\'' ? " " + label : std::string()) +
                                      suggestion + "; known: version, edition, from, to");
    }
    if (values[index]) throw StatsQueryError(name, shown(name) + " is given more than once");
    std::string value =
        equals == pair.npos ? std::string() : decoded(pair.substr(equals + 1), name);
    if (value.size() > kMaxValueBytes) {
      throw StatsQueryError(
          name, shown(name) + " is longer than " + std::to_string(kMaxValueBytes) + " bytes");
    }
    if (value.find('\0') != value.npos) {
      throw StatsQueryError(name, shown(name) + " holds a NUL byte");
    }
    if (!isUtf8(value)) throw StatsQueryError(name, shown(name) + " is not valid UTF-8");
    values[index] = std::move(value);
  }

  StatsFilter filter;
  filter.version = values[0].value_or("");
  filter.edition = values[1].value_or("");
  const auto day = [&](std::size_t index) -> std::optional<std::int64_t> {
    if (!values[index] || values[index]->empty()) return std::nullopt;
    auto parsed = parseDay(*values[index]);
    if (!parsed) {
      const std::string name(kNames[index]);
      throw StatsQueryError(name, shown(name) + " is not a date YYYY-MM-DD (1970-9999)");
    }
    return parsed;
  };
  const auto from = day(2);
  const auto to = day(3);
  filter.toDay = to.value_or(today);
  filter.fromDay = from.value_or(*filter.toDay - (kDefaultDays - 1));
  if (*filter.fromDay > *filter.toDay) {
    throw StatsQueryError(from ? "from" : "to", "'from' is after 'to'");
  }
  if (*filter.toDay - *filter.fromDay + 1 > kMaxDays) {
    throw StatsQueryError(from ? "from" : "to",
                          "'from' to 'to' spans more than " + std::to_string(kMaxDays) + " days");
  }
  return filter;
}

std::int64_t StatsQuery::today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return now.time_since_epoch().count();
}

std::string StatsQuery::formatDay(std::int64_t epochDay) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{epochDay}}};
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text.data();
}

std::optional<std::int64_t> StatsQuery::parseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (std::size_t i = starts[f]; i < starts[f] + lengths[f]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  const std::chrono::year_month_day date{std::chrono::year{fields[0]},
                                         std::chrono::month{static_cast<unsigned>(fields[1])},
                                         std::chrono::day{static_cast<unsigned>(fields[2])}};
  if (fields[0] < 1970 || !date.ok()) return std::nullopt;
  return std::chrono::sys_days{date}.time_since_epoch().count();
}

std::string StatsQuery::format(const StatsFilter& filter) {
  std::string query;
  const auto add = [&query](std::string_view name, const std::string& value) {
    if (value.empty()) return;
    std::string encoded;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]% ", encoded);
    query += (query.empty() ? "" : "&") + std::string(name) + "=" + encoded;
  };
  add("version", filter.version);
  add("edition", filter.edition);
  if (filter.fromDay) add("from", formatDay(*filter.fromDay));
  if (filter.toDay) add("to", formatDay(*filter.toDay));
  return query;
}

}  // namespace telemetry::collector
