// The collector's CPU per received report outside the HTTP server: parsing the
// specification's example report (1.6 KB) with RapidJSON, validating it, writing its
// compact payload and digest (ReceivedReport::fromDocument), against the baseline of
// parsing the same text into Poco's JSON DOM, which the collector did before.
// scripts/bench collector-report turns the results into build/bench/collector-report.json.
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>

#include "report/received_report.hpp"
#include "report/report_document.hpp"
#include "report/report_validator.hpp"

namespace {

using telemetry::collector::ReceivedReport;
using telemetry::collector::ReportDocument;
using telemetry::collector::ReportValidator;

const std::string& exampleReport() {
  static const std::string text = [] {
    std::ifstream in(TELEMETRY_COLLECTOR_FIXTURES "/spec-example-report.json", std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " TELEMETRY_COLLECTOR_FIXTURES);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }();
  return text;
}

/// The baseline: Poco's parser building its DOM (keeping member order, as the collector did)
/// and freeing it.
void pocoParse(benchmark::State& state) {
  const std::string& body = exampleReport();
  for (auto _ : state) {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    auto document = parser.parse(body);
    benchmark::DoNotOptimize(document);
  }
}
BENCHMARK(pocoParse)->Name("collector_report/poco_parse");

void rapidjsonParse(benchmark::State& state) {
  const std::string& body = exampleReport();
  for (auto _ : state) {
    const ReportDocument document(body);
    benchmark::DoNotOptimize(&document.root());
  }
}
BENCHMARK(rapidjsonParse)->Name("collector_report/rapidjson_parse");

/// What PingHandler does with a body: parse, validate, payload and digest.
void rapidjsonPipeline(benchmark::State& state) {
  const std::string& body = exampleReport();
  const auto validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);
  for (auto _ : state) {
    const ReportDocument document(body);
    if (validator.validate(document.root())) {
      state.SkipWithError("the example report does not pass the schema");
      return;
    }
    auto report = ReceivedReport::fromDocument(document.root(), "ip-hash", "", 0);
    benchmark::DoNotOptimize(report);
  }
}
BENCHMARK(rapidjsonPipeline)->Name("collector_report/rapidjson_pipeline");

}  // namespace
