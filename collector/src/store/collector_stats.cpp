#include "store/collector_stats.hpp"

#include <Poco/JSON/Array.h>

#include <array>
#include <chrono>
#include <cstdio>

namespace telemetry::collector {
namespace {

Poco::JSON::Array::Ptr toArray(const CollectorStats::Distribution& distribution,
                               const std::string& label) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const auto& [name, count] : distribution) {
    Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    item->set(label, name);
    item->set("count", count);
    array->add(item);
  }
  return array;
}

Poco::Dynamic::Var dayOrNull(const std::optional<std::int64_t>& epochDay) {
  if (!epochDay) return Poco::Dynamic::Var();
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{*epochDay}}};
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return std::string(text.data());
}

Poco::Dynamic::Var textOrNull(const std::string& text) {
  return text.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(text);
}

Poco::JSON::Object::Ptr filterJson(const StatsFilter& filter) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("version", textOrNull(filter.version));
  out->set("edition", textOrNull(filter.edition));
  out->set("from", dayOrNull(filter.fromDay));
  out->set("to", dayOrNull(filter.toDay));
  return out;
}

Poco::JSON::Object::Ptr seriesJson(const TimeSeries& series) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Array::Ptr periods = new Poco::JSON::Array;
  for (const auto& period : series.periods) periods->add(period);
  Poco::JSON::Array::Ptr lines = new Poco::JSON::Array;
  for (const auto& [name, values] : series.lines) {
    Poco::JSON::Object::Ptr line = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    line->set("name", name);
    Poco::JSON::Array::Ptr numbers = new Poco::JSON::Array;
    for (auto value : values) numbers->add(value);
    line->set("values", numbers);
    lines->add(line);
  }
  out->set("periods", periods);
  out->set("lines", lines);
  return out;
}

}  // namespace

Poco::JSON::Object::Ptr CollectorStats::toJson() const {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  Poco::JSON::Object::Ptr counts = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  counts->set("total", installations);
  counts->set("opted-in", optedIn);
  counts->set("initial-only", initialOnly);
  out->set("installations", counts);
  out->set("reports", reports);
  out->set("versions", toArray(versions, "version"));
  out->set("editions", toArray(editions, "edition"));
  out->set("databases", toArray(databases, "vendor"));
  out->set("application-servers", toArray(applicationServers, "vendor"));
  out->set("jdks", toArray(jdks, "jdk"));
  out->set("integrations", toArray(integrations, "integration"));
  out->set("webapps", toArray(webapps, "webapp"));
  out->set("reports-per-day", toArray(reportsPerDay, "day"));
  out->set("filter", filterJson(filter));
  Poco::JSON::Object::Ptr trendsJson = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  trendsJson->set("active", seriesJson(trends.active));
  trendsJson->set("active-by-version", seriesJson(trends.activeByVersion));
  trendsJson->set("active-by-database", seriesJson(trends.activeByDatabase));
  trendsJson->set("new-per-week", seriesJson(trends.newPerWeek));
  trendsJson->set("opted-in", seriesJson(trends.optedIn));
  out->set("trends", trendsJson);
  return out;
}

}  // namespace telemetry::collector
