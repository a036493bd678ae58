#include <gtest/gtest.h>

#include "report/list_column.hpp"
#include "report/received_report.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

// Stored digests must not change between versions: deduplication within the window
// compares a new report's digest with those of reports stored before an upgrade.
TEST(ReceivedReportTest, DigestsThePayloadWithoutInsignificantWhitespace) {
  const auto document = test::parse(R"({
    "installation": "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3",
    "product": { "name": "Camunda BPM Runtime", "version": "7.14.0", "edition": "community",
                 "internals": { "telemetry-enabled": false } }
  })");
  const auto report = ReceivedReport::fromDocument(document.root(), "ip-hash", "key", 1000);
  EXPECT_EQ(report.payload,
            R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3","product":{"name":)"
            R"("Camunda BPM Runtime","version":"7.14.0","edition":"community","internals":)"
            R"({"telemetry-enabled":false}}})");
  // sha256sum of the payload above
  EXPECT_EQ(report.payloadDigest,
            "ec2f7980e8bda7efd162f22d0732dd99329e06b71fd2394ba3b11c22171b58a5");
  EXPECT_TRUE(report.initial);
  EXPECT_FALSE(report.telemetryEnabled);
  EXPECT_EQ(report.edition, "community");
}

// PostgreSQL's text holds no NUL: both stores keep a value up to it, the payload whole.
TEST(ReceivedReportTest, EndsAFigureAtItsFirstNulAndKeepsThePayloadWhole) {
  const auto document = test::parse(
      R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3","product":{"name":"x",)"
      R"("version":"7.14\u0000.0","edition":"enter\u0000prise","internals":{)"
      R"("jdk":{"vendor":"Ora\u0000cle","version":"17"},"webapps":["cock\u0000pit","admin"],)"
      R"("commands":{},"metrics":{}}}})");
  const auto report = ReceivedReport::fromDocument(document.root(), "ip-hash", "", 1000);
  EXPECT_EQ(report.productVersion, "7.14");
  EXPECT_EQ(report.edition, "enter");
  EXPECT_EQ(report.jdk, "Ora 17");
  EXPECT_EQ(ListColumn::split(report.webapps), (std::vector<std::string>{"cock", "admin"}));
  EXPECT_NE(report.payload.find(R"("Ora\u0000cle")"), std::string::npos) << report.payload;
}

TEST(ReceivedReportTest, TakesTheDashboardFiguresFromAFullReport) {
  const auto document = test::parse(test::fixture("spec-example-report.json"));
  const auto report = ReceivedReport::fromDocument(document.root(), "ip-hash", "", 1000);
  EXPECT_EQ(report.installation, "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3");
  EXPECT_FALSE(report.initial);
  EXPECT_TRUE(report.telemetryEnabled);
  EXPECT_EQ(report.productVersion, "7.14.0");
  EXPECT_EQ(report.edition, "enterprise");
  EXPECT_EQ(report.databaseVendor, "h2");
  EXPECT_EQ(report.applicationServerVendor, "Wildfly");
  EXPECT_EQ(report.jdk, "Oracle Corporation 14.0.2");
  EXPECT_EQ(report.integrations, "spring-boot-starter,camunda-bpm-run");
  EXPECT_EQ(report.webapps, "cockpit,admin");
  EXPECT_EQ(report.payloadDigest.size(), 64u);
}

}  // namespace
}  // namespace telemetry::collector
