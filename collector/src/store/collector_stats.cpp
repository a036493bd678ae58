#include "store/collector_stats.hpp"

#include <Poco/JSON/Array.h>

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
  return out;
}

}  // namespace telemetry::collector
