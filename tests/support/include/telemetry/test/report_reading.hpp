// Reading the reports tests receive: the parts of the JSON assertions look at.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace telemetry::test {

inline Poco::JSON::Object::Ptr parseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// `product.internals` of a report.
inline Poco::JSON::Object::Ptr internalsOf(const std::string& report) {
  return parseObject(report)->getObject("product")->getObject("internals");
}

/// True for the initial report, which has no usage counts.
inline bool isInitialReport(const std::string& report) {
  return !internalsOf(report)->has("commands");
}

/// The count of a command in a full report; 0 when it is absent.
inline std::uint64_t commandCount(const std::string& report, const std::string& name) {
  auto commands = internalsOf(report)->getObject("commands");
  return commands->has(name) ? commands->getObject(name)->getValue<std::uint64_t>("count") : 0;
}

/// The count of one of the five metrics in a full report.
inline std::uint64_t metricCount(const std::string& report, const std::string& name) {
  return internalsOf(report)->getObject("metrics")->getObject(name)->getValue<std::uint64_t>(
      "count");
}

}  // namespace telemetry::test
