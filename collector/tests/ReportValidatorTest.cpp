#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ReportValidator.hpp"

namespace telemetry::collector {
namespace {

Poco::Dynamic::Var parse(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(text);
}

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(TELEMETRY_COLLECTOR_FIXTURES) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

class ReportValidatorTest : public ::testing::Test {
 protected:
  ReportValidator validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);

  std::string firstBadField(const std::string& json) {
    auto error = validator.validate(parse(json));
    return error ? error->pointer : "<valid>";
  }
};

TEST_F(ReportValidatorTest, accepts_the_spec_example_report) {
  EXPECT_EQ(firstBadField(fixture("spec-example-report.json")), "<valid>");
}

TEST_F(ReportValidatorTest, accepts_the_spec_initial_report) {
  EXPECT_EQ(firstBadField(fixture("spec-initial-report.json")), "<valid>");
}

TEST_F(ReportValidatorTest, names_a_bad_enum_value) {
  EXPECT_EQ(firstBadField(
                replaced(fixture("spec-example-report.json"), "\"enterprise\"", "\"enterprse\"")),
            "/product/edition");
}

TEST_F(ReportValidatorTest, names_a_negative_count) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "936", "-1")),
            "/product/internals/metrics/root-process-instance-start/count");
}

TEST_F(ReportValidatorTest, names_a_missing_required_metric) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "\"unique-task-workers\"",
                                   "\"unique-task-worker\"")),
            "/product/internals/metrics/unique-task-worker");
}

TEST_F(ReportValidatorTest, names_a_missing_metrics_section_rather_than_other_shapes) {
  EXPECT_EQ(
      firstBadField(replaced(fixture("spec-example-report.json"), "\"metrics\"", "\"metricz\"")),
      "/product/internals/metrics");
}

TEST_F(ReportValidatorTest, names_a_malformed_installation_id) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "8343cc7a", "XYZ")),
            "/installation");
}

TEST_F(ReportValidatorTest, names_an_unknown_integration) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "\"camunda-bpm-run\"",
                                   "\"camunda-bpm-walk\"")),
            "/product/internals/camunda-integration/1");
}

TEST_F(ReportValidatorTest, names_a_repeated_webapp) {
  EXPECT_EQ(
      firstBadField(replaced(fixture("spec-example-report.json"), "\"admin\"", "\"cockpit\"")),
      "/product/internals/webapps/1");
}

TEST_F(ReportValidatorTest, names_a_wrongly_typed_initial_flag) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-initial-report.json"), "false", "\"no\"")),
            "/product/internals/telemetry-enabled");
  auto error =
      validator.validate(parse(replaced(fixture("spec-initial-report.json"), "false", "\"no\"")));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "must be a boolean");
}

TEST_F(ReportValidatorTest, names_an_unknown_key_in_the_initial_report) {
  EXPECT_EQ(firstBadField(
                replaced(fixture("spec-initial-report.json"), "false }", "false, \"extra\": 1 }")),
            "/product/internals/extra");
}

TEST_F(ReportValidatorTest, names_an_empty_product_name) {
  EXPECT_EQ(firstBadField(
                replaced(fixture("spec-example-report.json"), "\"Camunda BPM Runtime\"", "\"\"")),
            "/product/name");
}

TEST_F(ReportValidatorTest, accepts_vendor_sections_beside_the_known_ones) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "\"webapps\"",
                                   "\"vendor-probe\": {\"x\": 1}, \"webapps\"")),
            "<valid>");
}

TEST_F(ReportValidatorTest, rejects_a_document_that_is_not_an_object) {
  EXPECT_EQ(firstBadField("[]"), "");
}

TEST_F(ReportValidatorTest, treats_an_integral_float_as_an_integer) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "936", "936.0")),
            "<valid>");
}

TEST_F(ReportValidatorTest, refuses_a_schema_with_an_unsupported_keyword) {
  EXPECT_THROW(ReportValidator(parse(R"({"type": "string", "maxLength": 3})")),
               std::invalid_argument);
}

TEST_F(ReportValidatorTest, refuses_a_schema_with_a_dangling_ref) {
  EXPECT_THROW(ReportValidator(parse(R"({"$ref": "#/definitions/nothing"})")),
               std::invalid_argument);
}

TEST_F(ReportValidatorTest, escapes_pointer_tokens) {
  EXPECT_EQ(ReportValidator::escapePointerToken("a/b~c"), "a~1b~0c");
}

}  // namespace
}  // namespace telemetry::collector
