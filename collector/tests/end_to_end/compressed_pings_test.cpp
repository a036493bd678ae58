// Reports sent with Content-Encoding: gzip: accepted, bounded once inflated, counted in
// /metrics both as received and as inflated; and the real host sending them over HTTPS.
#include <Poco/DeflatingStream.h>

#include <sstream>

#include "collector_end_to_end.hpp"

namespace telemetry::collector::test {
namespace {

std::string gzip(const std::string& text) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
  deflate << text;
  deflate.close();
  return out.str();
}

// The value of one line of /metrics text; the fixture's metric() reads a name without labels.
std::uint64_t valueIn(const std::string& metrics, const std::string& line) {
  const auto at = metrics.find(line + " ");
  if (at == std::string::npos) return UINT64_MAX;
  return std::stoull(metrics.substr(at + line.size() + 1));
}

const std::map<std::string, std::string> kGzip{{"Content-Encoding", "gzip"}};

TEST_F(CollectorEndToEndTest, StoresAGzipReportAndCountsBothSizes) {
  start();
  const std::string body = gzip(example());
  EXPECT_EQ(post(body, kGzip).status, 202);
  EXPECT_EQ(post(body, kGzip).status, 200) << "the same report, a duplicate";
  EXPECT_EQ(post(example()).status, 200) << "compressed or not, the same report";
  const auto metrics = request("GET", "/metrics").body;
  const std::string wire = "telemetry_collector_report_wire_bytes_total{encoding=";
  const std::string decoded = "telemetry_collector_report_bytes_total{encoding=";
  EXPECT_EQ(valueIn(metrics, wire + "\"gzip\"}"), 2 * body.size()) << metrics;
  EXPECT_EQ(valueIn(metrics, decoded + "\"gzip\"}"), 2 * example().size()) << metrics;
  EXPECT_EQ(valueIn(metrics, wire + "\"identity\"}"), example().size()) << metrics;
  EXPECT_EQ(valueIn(metrics, decoded + "\"identity\"}"), example().size()) << metrics;
}

// 10 MB of zeros, about 10 KB once compressed: inflating stops past max-body.
TEST_F(CollectorEndToEndTest, RefusesAGzipBombWith413) {
  start();
  const std::string bomb = gzip(std::string(10 * 1000 * 1000, '\0'));
  const auto reply = post(bomb, kGzip);
  EXPECT_EQ(reply.status, 413);
  EXPECT_NE(reply.body.find("larger than 65536 bytes once inflated"), std::string::npos)
      << reply.body;
  const auto metrics = request("GET", "/metrics").body;
  EXPECT_EQ(valueIn(metrics, "telemetry_collector_rejected_total{reason=\"too_large\"}"), 1u);
  EXPECT_EQ(valueIn(metrics, "telemetry_collector_report_bytes_total{encoding=\"gzip\"}"), 0u);
  EXPECT_EQ(post(gzip(example()), kGzip).status, 202) << "the collector is unharmed";
}

TEST_F(CollectorEndToEndTest, RefusesATruncatedGzipBodyWith400) {
  start();
  const std::string body = gzip(example());
  const auto reply = post(body.substr(0, body.size() - 4), kGzip);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find("truncated"), std::string::npos) << reply.body;
  EXPECT_EQ(post("{}", kGzip).status, 400) << "JSON labelled gzip is not gzip";
}

TEST_F(CollectorEndToEndTest, RefusesAnotherContentEncodingWith415SayingWhatItAccepts) {
  start();
  for (const char* coding : {"br", "deflate", "gzip, gzip", "compress"}) {
    auto reply = post(gzip(example()), {{"Content-Encoding", coding}});
    EXPECT_EQ(reply.status, 415) << coding;
    EXPECT_EQ(reply.headers["Accept-Encoding"], "gzip") << coding;
  }
  EXPECT_EQ(post(example(), {{"Content-Encoding", "identity"}}).status, 202);
  const auto metrics = request("GET", "/metrics").body;
  EXPECT_EQ(valueIn(metrics, "telemetry_collector_rejected_total{reason=\"unsupported_encoding\"}"),
            4u);
}

TEST_F(CollectorEndToEndTest, RefusesGzipOfInvalidUtf8AsItRefusesThePlainBody) {
  start();
  std::string report = example();
  report.replace(report.find("Camunda"), 7, "Cam\xff\xfe");
  const auto plain = post(report);
  const auto compressed = post(gzip(report), kGzip);
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(compressed.status, plain.status);
  EXPECT_EQ(compressed.body, plain.body);
}

TEST_F(CollectorEndToEndTest, StoresReportsTheHostSendsCompressed) {
  start();
  const auto initialSend = sendFromHost({"--initial"}, "  compress: true\n");
  ASSERT_EQ(initialSend.exitCode, 0) << initialSend.err;
  const auto fullSend = sendFromHost({}, "  compress: true\n");
  ASSERT_EQ(fullSend.exitCode, 0) << fullSend.err;
  EXPECT_EQ(storedRows(), 2);
  const auto metrics = request("GET", "/metrics").body;
  const auto wire =
      valueIn(metrics, "telemetry_collector_report_wire_bytes_total{encoding=\"gzip\"}");
  const auto inflated =
      valueIn(metrics, "telemetry_collector_report_bytes_total{encoding=\"gzip\"}");
  EXPECT_GT(wire, 0u) << metrics;
  EXPECT_LT(wire, inflated) << metrics;
  EXPECT_EQ(valueIn(metrics, "telemetry_collector_report_bytes_total{encoding=\"identity\"}"), 0u);

  // The audit log still shows the report as readable JSON, and how it travelled.
  const std::string audit = readFile(dir / "telemetry-sent.jsonl");
  std::istringstream lines(audit);
  std::string line;
  std::uint64_t wireInAudit = 0;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    const auto entry = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(entry->getValue<std::string>("content-encoding"), "gzip") << line;
    EXPECT_TRUE(entry->getObject("report")->has("installation")) << line;
    wireInAudit += entry->getValue<std::uint64_t>("wire-bytes");
  }
  EXPECT_EQ(count, 2) << audit;
  EXPECT_EQ(wireInAudit, wire) << "the audit log counts the bytes the collector received";
}

}  // namespace
}  // namespace telemetry::collector::test
