#include "report/report_builder.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/utf8_text.hpp"

using telemetry::ProbeOutcome;
using telemetry::ReportBuilder;
using telemetry::toJsonText;
using telemetry::UsageSnapshot;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

constexpr const char* kId = "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3";

ProbeOutcome value(std::string plugin, std::string section, std::string json) {
  return {std::move(plugin),
          "/product/internals/" + section,
          ProbeOutcome::Status::value,
          std::move(json),
          {}};
}

/// Keys as they appear in the JSON text (iterating a Poco object gives them sorted).
std::vector<std::string> keysInOrder(const Poco::JSON::Object::Ptr& object) {
  std::string text = toJsonText(object, false);
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& [key, v] : *object) found.emplace_back(text.find("\"" + key + "\":"), key);
  std::sort(found.begin(), found.end());
  std::vector<std::string> keys;
  for (auto& [position, key] : found) keys.push_back(key);
  return keys;
}

class ReportBuilderTest : public ::testing::Test {
 protected:
  ReportBuilder builder{{"Camunda BPM Runtime", "7.14.0", telemetry::Edition::enterprise}, kId};

  Poco::JSON::Object::Ptr internals(const std::vector<ProbeOutcome>& outcomes,
                                    const UsageSnapshot& usage = {}) {
    return builder.full(outcomes, usage)->getObject("product")->getObject("internals");
  }
};

TEST_F(ReportBuilderTest, InitialReportHoldsExactlyTheSpecsKeys) {
  EXPECT_EQ(toJsonText(builder.initial(false), false),
            R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3","product":{"name":)"
            R"("Camunda BPM Runtime","version":"7.14.0","edition":"enterprise","internals":)"
            R"({"telemetry-enabled":false}}})");
}

TEST_F(ReportBuilderTest, FullReportWithoutProbesHasZeroMetricsAndNoCommands) {
  EXPECT_EQ(toJsonText(internals({}), false),
            R"({"commands":{},"metrics":{"root-process-instance-start":{"count":0},)"
            R"("activity-instance-start":{"count":0},"executed-decision-instances":{"count":0},)"
            R"("executed-decision-elements":{"count":0},"unique-task-workers":{"count":0}}})");
}

TEST_F(ReportBuilderTest, SectionsFollowTheSpecsOrderWhateverTheProbeOrder) {
  auto in = internals({value("w", "webapps", R"(["cockpit"])"),
                       value("j", "jdk", R"({"version":"14.0.2","vendor":"Oracle Corporation"})"),
                       value("d", "database", R"({"vendor":"h2","version":"1.4.190"})")});
  EXPECT_THAT(keysInOrder(in),
              ::testing::ElementsAre("database", "jdk", "commands", "metrics", "webapps"));
}

TEST_F(ReportBuilderTest, UsageCountsAppearUnderCommandsAndMetrics) {
  UsageSnapshot usage;
  usage.commands["StartProcessInstanceCmd"] = 40;
  usage.metrics["unique-task-workers"] = 50;
  auto in = internals({}, usage);
  EXPECT_EQ(in->getObject("commands")->getObject("StartProcessInstanceCmd")->getValue<int>("count"),
            40);
  EXPECT_EQ(in->getObject("metrics")->getObject("unique-task-workers")->getValue<int>("count"), 50);
}

TEST_F(ReportBuilderTest, FailedAndNotApplicableSectionsAreLeftOut) {
  ProbeOutcome failed{"a", "/product/internals/database", ProbeOutcome::Status::failed, "down", {}};
  ProbeOutcome na{"b",
                  "/product/internals/application-server",
                  ProbeOutcome::Status::notApplicable,
                  "embedded",
                  {}};
  ProbeOutcome late{"c", "/product/internals/jdk", ProbeOutcome::Status::timedOut, "", {}};
  auto in = internals({failed, na, late});
  EXPECT_FALSE(in->has("database"));
  EXPECT_FALSE(in->has("application-server"));
  EXPECT_FALSE(in->has("jdk"));
}

TEST_F(ReportBuilderTest, InvalidJsonOrWrongTypeIsLeftOut) {
  auto in = internals({value("a", "database", "{oops"), value("b", "webapps", R"({"x":1})"),
                       value("c", "jdk", R"(["not", "an", "object"])")});
  EXPECT_FALSE(in->has("database"));
  EXPECT_FALSE(in->has("webapps"));
  EXPECT_FALSE(in->has("jdk"));
}

TEST_F(ReportBuilderTest, SectionsThatAreNotUtf8OrHoldNulAreLeftOutWithTheReason) {
  using telemetry::sectionProblem;
  EXPECT_THAT(sectionProblem(value("a", "database", "{\"name\":\"H2\xff\"}")),
              HasSubstr("is not valid UTF-8 (byte 0xFF"));
  EXPECT_THAT(sectionProblem(value("a", "jdk", R"({"vendor":"a\u0000b"})")),
              HasSubstr("holding NUL"));
  EXPECT_THAT(sectionProblem(value("a", "jdk", R"({"a\u0000b":"x"})")), HasSubstr("NUL"));
  EXPECT_THAT(sectionProblem(value("a", "webapps", R"(["ok", ["\u0000"]])")), HasSubstr("NUL"));
  EXPECT_THAT(sectionProblem(value("a", "jdk", R"({"vendor":"\ud800"})")), Not(IsEmpty()));
  auto in = internals({value("a", "database", "{\"name\":\"H2\xc0\x80\"}"),
                       value("b", "jdk", R"({"vendor":"a\u0000b"})"),
                       value("c", "webapps", R"(["Grüße €"])")});
  EXPECT_FALSE(in->has("database"));
  EXPECT_FALSE(in->has("jdk"));
  EXPECT_TRUE(in->has("webapps")) << "valid UTF-8 beyond ASCII stays";
}

TEST_F(ReportBuilderTest, TheTextOfAReportIsValidUtf8WhateverReachedIt) {
  // The ways in refuse such text; the writer holds even when one of them misses some.
  ReportBuilder latin1{{"Produkt \xe9", "7.14\xff", telemetry::Edition::community}, kId};
  UsageSnapshot usage;
  usage.commands["Bad\xffName"] = 1;
  usage.commands[std::string("a\0b", 3)] = 2;
  for (bool pretty : {true, false}) {
    const std::string text = toJsonText(latin1.full({}, usage), pretty);
    EXPECT_TRUE(telemetry::isValidUtf8(text)) << text;
    EXPECT_THAT(text, HasSubstr("Produkt \xef\xbf\xbd"));
    EXPECT_THAT(text, HasSubstr("\"Bad\xef\xbf\xbdName\""));
    EXPECT_NO_THROW(Poco::JSON::Parser().parse(text)) << "still JSON: " << text;
  }
}

TEST_F(ReportBuilderTest, ArraysOfTwoProbesAreUnitedInOrder) {
  auto in = internals({value("a", "webapps", R"(["cockpit","admin"])"),
                       value("b", "webapps", R"(["admin","tasklist"])")});
  EXPECT_EQ(toJsonText(new Poco::JSON::Object(*in), false)
                    .find(R"("webapps":["cockpit","admin","tasklist"])") != std::string::npos,
            true);
}

TEST_F(ReportBuilderTest, FirstProbeWinsForAnObjectSection) {
  auto in = internals({value("first", "database", R"({"vendor":"postgres","version":"15"})"),
                       value("second", "database", R"({"vendor":"h2","version":"2"})")});
  EXPECT_EQ(in->getObject("database")->getValue<std::string>("vendor"), "postgres");
}

TEST_F(ReportBuilderTest, VendorSectionsComeAfterTheSpecsAndHonourPointerEscapes) {
  ProbeOutcome vendor{
      "v", "/product/internals/acme~1cluster/nodes~0x", ProbeOutcome::Status::value, "3", {}};
  auto in = internals({vendor, value("j", "jdk", R"({"version":"17","vendor":"Debian"})")});
  EXPECT_EQ(keysInOrder(in).back(), "acme/cluster");
  EXPECT_EQ(in->getObject("acme/cluster")->getValue<int>("nodes~x"), 3);
}

TEST_F(ReportBuilderTest, PrettyTextIsIndentedByTwoSpaces) {
  EXPECT_THAT(toJsonText(builder.initial(true)), HasSubstr("\n  \"installation\""));
}

TEST_F(ReportBuilderTest, SectionOverOneMebibyteIsLeftOut) {
  std::string huge = R"({"vendor":")" + std::string(telemetry::kMaxProbeOutputBytes, 'x') + R"("})";
  auto in = internals({value("big", "database", huge), value("j", "jdk", R"({"version":"17"})")});
  EXPECT_FALSE(in->has("database"));
  EXPECT_TRUE(in->has("jdk"));
  EXPECT_THAT(telemetry::sectionProblem(value("big", "database", huge)),
              HasSubstr("over the limit of 1048576"));
}

}  // namespace
