#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "ReportValidator.hpp"
#include "TestFixtures.hpp"

namespace telemetry::collector {
namespace {

using test::fixture;
using test::parse;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

class ReportValidatorTest : public ::testing::Test {
 protected:
  ReportValidator validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);

  std::string firstBadField(const std::string& json) {
    auto error = validator.validate(parse(json).root());
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
  auto error = validator.validate(
      parse(replaced(fixture("spec-initial-report.json"), "false", "\"no\"")).root());
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

// Expected answers recorded from the validator that interpreted the schema's JSON on every
// request, before it was compiled into nodes: the compiled one must accept and reject the
// same documents, naming the same field with the same message. "<valid>": no error.
using Expected = std::pair<std::string, std::string>;

struct EditedReport {
  std::string fixture;  // empty: the document is the only edit's replacement
  std::vector<std::pair<std::string, std::string>> edits;
};

struct ReportCase {
  EditedReport document;
  Expected expected;
};

const std::vector<ReportCase> kReportCases{
    {{"spec-example-report.json", {}}, {"<valid>", ""}},
    {{"spec-initial-report.json", {}}, {"<valid>", ""}},
    {{"spec-example-report.json", {{"\"enterprise\"", "\"enterprse\""}}},
     {"/product/edition", "must be one of: community, enterprise"}},
    {{"spec-example-report.json", {{"\"enterprise\"", "null"}}},
     {"/product/edition", "must be one of: community, enterprise"}},
    {{"spec-example-report.json", {{"936", "-1"}}},
     {"/product/internals/metrics/root-process-instance-start/count", "must be at least 0"}},
    {{"spec-example-report.json", {{"936", "936.5"}}},
     {"/product/internals/metrics/root-process-instance-start/count", "must be an integer"}},
    {{"spec-example-report.json", {{"936", "\"936\""}}},
     {"/product/internals/metrics/root-process-instance-start/count", "must be an integer"}},
    {{"spec-example-report.json", {{"936", "936.0"}}}, {"<valid>", ""}},
    {{"spec-example-report.json", {{"936", "true"}}},
     {"/product/internals/metrics/root-process-instance-start/count", "must be an integer"}},
    {{"spec-example-report.json", {{"936", "-0.0"}}}, {"<valid>", ""}},
    {{"spec-example-report.json", {{"936", "1e2"}}}, {"<valid>", ""}},
    {{"spec-example-report.json", {{"936", "18446744073709551616"}}}, {"<valid>", ""}},
    {{"spec-example-report.json", {{"\"unique-task-workers\"", "\"unique-task-worker\""}}},
     {"/product/internals/metrics/unique-task-worker", "is not allowed"}},
    {{"spec-example-report.json", {{"\"metrics\"", "\"metricz\""}}},
     {"/product/internals/metrics", "is required"}},
    {{"spec-example-report.json", {{"8343cc7a", "XYZ"}}},
     {"/installation",
      "must match ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}},
    {{"spec-example-report.json", {{"8343cc7a", "8343CC7A"}}},
     {"/installation",
      "must match ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}},
    {{"spec-example-report.json", {{"\"camunda-bpm-run\"", "\"camunda-bpm-walk\""}}},
     {"/product/internals/camunda-integration/1",
      "must be one of: spring-boot-starter, camunda-bpm-run, wildfly-integration, "
      "camunda-ejb-service"}},
    {{"spec-example-report.json", {{"\"camunda-bpm-run\"", "\"spring-boot-starter\""}}},
     {"/product/internals/camunda-integration/1", "repeats an earlier item"}},
    {{"spec-example-report.json", {{"\"camunda-bpm-run\"", "7"}}},
     {"/product/internals/camunda-integration/1",
      "must be one of: spring-boot-starter, camunda-bpm-run, wildfly-integration, "
      "camunda-ejb-service"}},
    {{"spec-example-report.json", {{"\"admin\"", "\"cockpit\""}}},
     {"/product/internals/webapps/1", "repeats an earlier item"}},
    {{"spec-example-report.json", {{"\"admin\"", "\"\""}}},
     {"/product/internals/webapps/1", "must be at least 1 characters"}},
    {{"spec-example-report.json", {{"\"admin\"", "[\"admin\"]"}}},
     {"/product/internals/webapps/1", "must be a string"}},
    {{"spec-example-report.json", {{"\"Camunda BPM Runtime\"", "\"\""}}},
     {"/product/name", "must be at least 1 characters"}},
    {{"spec-example-report.json", {{"\"Camunda BPM Runtime\"", "\"\\u00e9\""}}}, {"<valid>", ""}},
    {{"spec-example-report.json", {{"\"webapps\"", "\"vendor-probe\": {\"x\": 1}, \"webapps\""}}},
     {"<valid>", ""}},
    {{"spec-example-report.json", {{"\"webapps\": [", "\"webapps\": 5, \"x\": ["}}},
     {"/product/internals/webapps", "must be an array"}},
    {{"spec-example-report.json", {{"\"h2\"", "1"}}},
     {"/product/internals/database/vendor", "must be a string"}},
    {{"spec-example-report.json", {{"\"vendor\": \"h2\",", ""}}},
     {"/product/internals/database/vendor", "is required"}},
    {{"spec-example-report.json",
      {{"\"version\": \"14.0.2\",", "\"version\": \"14.0.2\", \"extra\": 1,"}}},
     {"/product/internals/jdk/extra", "is not allowed"}},
    {{"spec-example-report.json", {{"\"count\": 40", "\"count\": 40, \"x\": 1"}}},
     {"/product/internals/commands/StartProcessInstanceCmd/x", "is not allowed"}},
    {{"spec-example-report.json", {{"\"count\": 40", "\"cnt\": 40"}}},
     {"/product/internals/commands/StartProcessInstanceCmd/cnt", "is not allowed"}},
    {{"spec-example-report.json",
      {{"\"internals\": {", "\"internals\": { \"telemetry-enabled\": true,"}}},
     {"/product/internals/database", "is not allowed"}},
    {{"spec-example-report.json", {{"\"unlimited\": false", "\"unlimited\": \"no\""}}},
     {"/product/internals/license-key/unlimited", "must be a boolean"}},
    {{"spec-example-report.json", {{"\"camundaBPM\": \"true\"", "\"camundaBPM\": true"}}},
     {"/product/internals/license-key/features/camundaBPM", "must be a string"}},
    {{"spec-example-report.json", {{"\"raw\": \"customer=", "\"raww\": \"customer="}}},
     {"/product/internals/license-key/raww", "is not allowed"}},
    {{"spec-example-report.json", {{"\"installation\"", "\"installationx\""}}},
     {"/installationx", "is not allowed"}},
    {{"spec-example-report.json", {{"\"product\": {", "\"extra\": null, \"product\": {"}}},
     {"/extra", "is not allowed"}},
    {{"spec-example-report.json", {{"\"commands\": {", "\"commands\": [], \"x\": {"}}},
     {"/product/internals/commands", "must be an object"}},
    {{"spec-example-report.json", {{"936", "-1"}, {"\"h2\"", "\"\""}}},
     {"/product/internals/database/vendor", "must be at least 1 characters"}},
    {{"spec-example-report.json", {{"\"metrics\"", "\"metricz\""}, {"\"enterprise\"", "\"x\""}}},
     {"/product/edition", "must be one of: community, enterprise"}},
    {{"spec-example-report.json", {{"\"jdk\": {", "\"jdk\": { \"a/b~c\": 1,"}}},
     {"/product/internals/jdk/a~1b~0c", "is not allowed"}},
    {{"spec-example-report.json", {{"\"features\": {", "\"features\": { \"x\": [1],"}}},
     {"/product/internals/license-key/features/x", "must be a string"}},
    {{"spec-initial-report.json", {{"false", "\"no\""}}},
     {"/product/internals/telemetry-enabled", "must be a boolean"}},
    {{"spec-initial-report.json", {{"false }", "false, \"extra\": 1 }"}}},
     {"/product/internals/extra", "is not allowed"}},
    {{"spec-initial-report.json", {{"\"community\"", "\"enterprise\""}}}, {"<valid>", ""}},
    {{"spec-initial-report.json", {{"\"telemetry-enabled\": false", ""}}},
     {"/product/internals/commands", "is required"}},
    {{"spec-initial-report.json", {{"\"name\": \"Camunda BPM Runtime\",", ""}}},
     {"/product/name", "is required"}},
    {{"spec-initial-report.json", {{"\"version\": \"7.14.0\"", "\"version\": 7.14"}}},
     {"/product/version", "must be a string"}},
    {{"spec-initial-report.json", {{"b647de4d", "b647de4"}}},
     {"/installation",
      "must match ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}},
    {{"", {{"", "[]"}}}, {"", "must be an object"}},
    {{"", {{"", "{}"}}}, {"/installation", "is required"}},
    {{"", {{"", "{\"installation\": \"b647de4d-e557-455a-a64f-feaecd55f53c\"}"}}},
     {"/product", "is required"}},
};

// A property "v" with the given schema, beside definitions "loop" (a $ref cycle) and "s".
struct SchemaCase {
  std::pair<std::string, std::string> schemaAndValue;
  Expected expected;
};

const std::vector<SchemaCase> kSchemaCases{
    {{R"({"type": ["string", "integer"]})", "1.5"}, {"/v", "must be a string or an integer"}},
    {{R"({"type": ["string", "integer"]})", "7"}, {"<valid>", ""}},
    {{R"({"type": "number", "minimum": 2.5})", "2"}, {"/v", "must be at least 2.5"}},
    {{R"({"type": "number", "minimum": 2.5})", "true"}, {"/v", "must be a number"}},
    {{R"({"type": "null"})", "null"}, {"<valid>", ""}},
    {{R"({"type": "null"})", "0"}, {"/v", "must be a null"}},
    {{R"({"enum": [1, "a", {"x": 1}, null]})", "{\"x\": 1}"}, {"<valid>", ""}},
    {{R"({"enum": [1, "a", {"x": 1}, null]})", "null"}, {"<valid>", ""}},
    {{R"({"enum": [1, "a", {"x": 1}, null]})", "1.0"}, {"<valid>", ""}},
    {{R"({"enum": [1, "a", {"x": 1}, null]})", "\"1\""},
     {"/v", "must be one of: 1, a, {\"x\":1}, null"}},
    {{R"({"enum": [1, "a", {"x": 1}, null]})", "2"},
     {"/v", "must be one of: 1, a, {\"x\":1}, null"}},
    {{R"({"items": {"type": "integer"}, "uniqueItems": true})", "[1, 2, 1]"},
     {"/v/2", "repeats an earlier item"}},
    {{R"({"uniqueItems": true})", "[{\"a\": 1}, \"{\\\"a\\\":1}\", {\"a\": 1}]"},
     {"/v/2", "repeats an earlier item"}},
    {{R"({"uniqueItems": true})", "[\"1\", 1]"}, {"<valid>", ""}},
    {{R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})", "5"},
     {"/v", "matches more than one allowed shape"}},
    {{R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})", "-5"}, {"<valid>", ""}},
    {{R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})", "-5.5"}, {"/v", "must be an integer"}},
    {{R"({"oneOf": [false, {"type": "string"}]})", "1"}, {"/v", "must be a string"}},
    {{R"({"oneOf": [{"type": "string"}, false]})", "1"}, {"/v", "must be a string"}},
    {{R"({"minLength": 2})", "\"\\u00e9\""}, {"/v", "must be at least 2 characters"}},
    {{R"({"minLength": 2})", "\"\\u00e9\\u00e9\""}, {"<valid>", ""}},
    {{R"({"minLength": 2})", "5"}, {"<valid>", ""}},
    {{R"({"pattern": "b+"})", "\"abbc\""}, {"<valid>", ""}},
    {{R"({"pattern": "^b+$"})", "\"abbc\""}, {"/v", "must match ^b+$"}},
    {{R"({"required": ["a", "b"], "properties": {"a": true}, "additionalProperties": false})",
      "{\"b\": 1}"},
     {"/v/b", "is not allowed"}},
    {{R"({"required": ["a", "b"], "properties": {"a": true}, "additionalProperties": false})",
      "{\"a\": 1}"},
     {"/v/b", "is required"}},
    {{R"({"additionalProperties": {"type": "string"}})", "{\"z\": \"s\", \"a\": 1, \"m\": 2}"},
     {"/v/a", "must be a string"}},
    {{R"({"additionalProperties": {"type": "string"}})", "{\"z\": 1, \"a\": 1}"},
     {"/v/z", "must be a string"}},
    {{R"({"$ref": "#/definitions/loop"})", "1"}, {"/v", "is nested too deeply"}},
    {{R"({"$ref": "#/definitions/s", "type": "integer"})", "\"x\""}, {"<valid>", ""}},
    {{R"({"properties": {"a": {"properties": {"b": {"type": "string"}}}}})", "{\"a\": {\"b\": 2}}"},
     {"/v/a/b", "must be a string"}},
    {{R"(true)", "1"}, {"<valid>", ""}},
    {{R"(false)", "1"}, {"/v", "is not allowed"}},
};

Expected outcome(const ReportValidator& validator, const std::string& json) {
  auto error = validator.validate(parse(json).root());
  return error ? Expected{error->pointer, error->message} : Expected{"<valid>", ""};
}

TEST_F(ReportValidatorTest, answers_edited_reports_as_the_interpreting_validator_did) {
  for (const auto& [document, expected] : kReportCases) {
    std::string json =
        document.fixture.empty() ? document.edits.front().second : fixture(document.fixture);
    if (!document.fixture.empty()) {
      for (const auto& [from, to] : document.edits) json = replaced(json, from, to);
    }
    EXPECT_EQ(outcome(validator, json), expected) << json;
  }
}

TEST(ReportValidatorKeywordsTest, answers_each_keyword_as_the_interpreting_validator_did) {
  for (const auto& [schemaAndValue, expected] : kSchemaCases) {
    const auto& [schema, value] = schemaAndValue;
    const ReportValidator validator(
        parse(R"({"properties": {"v": )" + schema +
              R"(}, "definitions": {"loop": {"$ref": "#/definitions/loop"},)"
              R"( "s": {"type": "string"}}})")
            .root());
    EXPECT_EQ(outcome(validator, "{\"v\": " + value + "}"), expected) << schema << " " << value;
  }
}

TEST_F(ReportValidatorTest, refuses_a_schema_with_an_unsupported_keyword) {
  EXPECT_THROW(ReportValidator(parse(R"({"type": "string", "maxLength": 3})").root()),
               std::invalid_argument);
}

TEST_F(ReportValidatorTest, refuses_a_schema_with_a_dangling_ref) {
  EXPECT_THROW(ReportValidator(parse(R"({"$ref": "#/definitions/nothing"})").root()),
               std::invalid_argument);
}

TEST_F(ReportValidatorTest, escapes_pointer_tokens) {
  EXPECT_EQ(ReportValidator::escapePointerToken("a/b~c"), "a~1b~0c");
}

}  // namespace
}  // namespace telemetry::collector
