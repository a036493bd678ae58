#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <random>
#include <sstream>
#include <utility>
#include <vector>

#include "report/report_validator.hpp"
#include "telemetry/test/subprocess.hpp"
#include "test_fixtures.hpp"

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

TEST_F(ReportValidatorTest, AcceptsTheSpecExampleReport) {
  EXPECT_EQ(firstBadField(fixture("spec-example-report.json")), "<valid>");
}

TEST_F(ReportValidatorTest, AcceptsTheSpecInitialReport) {
  EXPECT_EQ(firstBadField(fixture("spec-initial-report.json")), "<valid>");
}

TEST_F(ReportValidatorTest, NamesABadEnumValue) {
  EXPECT_EQ(firstBadField(
                replaced(fixture("spec-example-report.json"), "\"enterprise\"", "\"enterprse\"")),
            "/product/edition");
}

TEST_F(ReportValidatorTest, NamesANegativeCount) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "936", "-1")),
            "/product/internals/metrics/root-process-instance-start/count");
}

TEST_F(ReportValidatorTest, NamesAMissingRequiredMetric) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "\"unique-task-workers\"",
                                   "\"unique-task-worker\"")),
            "/product/internals/metrics/unique-task-worker");
}

TEST_F(ReportValidatorTest, NamesAMissingMetricsSectionRatherThanOtherShapes) {
  EXPECT_EQ(
      firstBadField(replaced(fixture("spec-example-report.json"), "\"metrics\"", "\"metricz\"")),
      "/product/internals/metrics");
}

TEST_F(ReportValidatorTest, NamesAMalformedInstallationId) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "8343cc7a", "XYZ")),
            "/installation");
}

TEST_F(ReportValidatorTest, NamesAnUnknownIntegration) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "\"camunda-bpm-run\"",
                                   "\"camunda-bpm-walk\"")),
            "/product/internals/camunda-integration/1");
}

TEST_F(ReportValidatorTest, NamesARepeatedWebapp) {
  EXPECT_EQ(
      firstBadField(replaced(fixture("spec-example-report.json"), "\"admin\"", "\"cockpit\"")),
      "/product/internals/webapps/1");
}

TEST_F(ReportValidatorTest, NamesAWronglyTypedInitialFlag) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-initial-report.json"), "false", "\"no\"")),
            "/product/internals/telemetry-enabled");
  auto error = validator.validate(
      parse(replaced(fixture("spec-initial-report.json"), "false", "\"no\"")).root());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "must be a boolean");
}

TEST_F(ReportValidatorTest, NamesAnUnknownKeyInTheInitialReport) {
  EXPECT_EQ(firstBadField(
                replaced(fixture("spec-initial-report.json"), "false }", "false, \"extra\": 1 }")),
            "/product/internals/extra");
}

TEST_F(ReportValidatorTest, NamesAnEmptyProductName) {
  EXPECT_EQ(firstBadField(
                replaced(fixture("spec-example-report.json"), "\"Camunda BPM Runtime\"", "\"\"")),
            "/product/name");
}

TEST_F(ReportValidatorTest, AcceptsVendorSectionsBesideTheKnownOnes) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "\"webapps\"",
                                   "\"vendor-probe\": {\"x\": 1}, \"webapps\"")),
            "<valid>");
}

TEST_F(ReportValidatorTest, RejectsADocumentThatIsNotAnObject) {
  EXPECT_EQ(firstBadField("[]"), "");
}

TEST_F(ReportValidatorTest, TreatsAnIntegralFloatAsAnInteger) {
  EXPECT_EQ(firstBadField(replaced(fixture("spec-example-report.json"), "936", "936.0")),
            "<valid>");
}

// Expected answers recorded from the validator that interpreted the schema's JSON on every
// request, before it was compiled into nodes: the compiled one must accept and reject the
// same documents, naming the same field with the same message. "<valid>": no error. Whether
// each is valid at all is checked against an independent validator (Python's jsonschema)
// further down, so the recorded answers cannot carry an old mistake along.
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
    {{"spec-example-report.json", {{"936", "9223372036854775807"}}}, {"<valid>", ""}},
    // Found by an outside trial: 2^64 and 1e308 were accepted as counts.
    {{"spec-example-report.json", {{"936", "9223372036854775808"}}},
     {"/product/internals/metrics/root-process-instance-start/count",
      "must be at most 9223372036854775807"}},
    {{"spec-example-report.json", {{"936", "18446744073709551616"}}},
     {"/product/internals/metrics/root-process-instance-start/count",
      "must be at most 9223372036854775807"}},
    {{"spec-example-report.json", {{"936", "1e308"}}},
     {"/product/internals/metrics/root-process-instance-start/count",
      "must be at most 9223372036854775807"}},
    {{"spec-example-report.json", {{"936", "9.223372036854775807e18"}}},
     {"/product/internals/metrics/root-process-instance-start/count",
      "must be at most 9223372036854775807"}},
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
    {{R"({"maximum": 2.5})", "2.5"}, {"<valid>", ""}},
    {{R"({"maximum": 2.5})", "3"}, {"/v", "must be at most 2.5"}},
    {{R"({"maximum": 9223372036854775807})", "9223372036854775807"}, {"<valid>", ""}},
    {{R"({"maximum": 9223372036854775807})", "9223372036854775808"},
     {"/v", "must be at most 9223372036854775807"}},
    {{R"(true)", "1"}, {"<valid>", ""}},
    {{R"(false)", "1"}, {"/v", "is not allowed"}},
};

Expected outcome(const ReportValidator& validator, const std::string& json) {
  auto error = validator.validate(parse(json).root());
  return error ? Expected{error->pointer, error->message} : Expected{"<valid>", ""};
}

TEST_F(ReportValidatorTest, AnswersEditedReportsAsTheInterpretingValidatorDid) {
  for (const auto& [document, expected] : kReportCases) {
    std::string json =
        document.fixture.empty() ? document.edits.front().second : fixture(document.fixture);
    if (!document.fixture.empty()) {
      for (const auto& [from, to] : document.edits) json = replaced(json, from, to);
    }
    EXPECT_EQ(outcome(validator, json), expected) << json;
  }
}

TEST(ReportValidatorKeywordsTest, AnswersEachKeywordAsTheInterpretingValidatorDid) {
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

// --- Cross-check against an independent validator --------------------------------------

// One question for both validators: a document and its schema (empty: the report schema).
struct CrossCase {
  std::string schema;
  std::string document;
  std::string origin;  // what the failure message names
};

std::string jsonText(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

std::string quoted(const std::string& text) {
  return jsonText(rapidjson::Value(rapidjson::StringRef(text.data(), text.size())));
}

std::string keywordSchema(const std::string& schema) {
  return R"({"properties": {"v": )" + schema +
         R"(}, "definitions": {"loop": {"$ref": "#/definitions/loop"}, "s": {"type": "string"}}})";
}

// Python's jsonschema (Draft7Validator), one process for all cases: "valid", "invalid" or
// "error: ..." per case.
std::vector<std::string> jsonschemaVerdicts(const std::vector<CrossCase>& cases) {
  std::string input;
  for (const auto& c : cases) {
    input += R"({"schema": )" + (c.schema.empty() ? std::string("null") : quoted(c.schema)) +
             R"(, "document": )" + quoted(c.document) + "}\n";
  }
  const auto run = telemetry::test::runProgram(
      "/usr/bin/python3", {TELEMETRY_JSONSCHEMA_ORACLE, TELEMETRY_REPORT_SCHEMA},
      std::filesystem::temp_directory_path(), input);
  EXPECT_EQ(run.exitCode, 0) << run.err;
  std::vector<std::string> verdicts;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) verdicts.push_back(line);
  return verdicts;
}

// Seeded random edits of the fixture reports: values swapped for ones near the schema's
// edges, members dropped or added, array items repeated.
class ReportMutator {
 public:
  explicit ReportMutator(std::uint32_t seed) : random_(seed) {}

  std::string mutate(const std::string& fixtureText) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseFullPrecisionFlag>(fixtureText.c_str());
    const int edits = 1 + static_cast<int>(pick(3));
    for (int i = 0; i < edits; ++i) edit(document, document.GetAllocator());
    return jsonText(document);
  }

 private:
  struct Slot {
    rapidjson::Value* value;
    rapidjson::Value* parent;
  };

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  static void collect(rapidjson::Value& value, rapidjson::Value* parent, std::vector<Slot>& out) {
    out.push_back({&value, parent});
    if (value.IsObject()) {
      for (auto& member : value.GetObject()) collect(member.value, &value, out);
    } else if (value.IsArray()) {
      for (auto& item : value.GetArray()) collect(item, &value, out);
    }
  }

  rapidjson::Value paletteValue(rapidjson::Document::AllocatorType& allocator) {
    static const char* const kPalette[] = {"-1",
                                           "0",
                                           "1",
                                           "936.0",
                                           "-0.0",
                                           "1.5",
                                           "1e2",
                                           "1e308",
                                           "9223372036854775807",
                                           "9223372036854775808",
                                           "18446744073709551615",
                                           "18446744073709551616",
                                           "-9223372036854775808",
                                           R"("")",
                                           R"("x")",
                                           R"("\u00e9")",
                                           R"("a,b")",
                                           R"("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3")",
                                           R"("8343CC7A-8AD1-42D4-97D2-43452C0BDFA3")",
                                           R"("community")",
                                           R"("enterprise")",
                                           R"("cockpit")",
                                           R"("camunda-bpm-run")",
                                           "true",
                                           "false",
                                           "null",
                                           "[]",
                                           "{}",
                                           R"({"count": 1})",
                                           R"({"count": -1})",
                                           R"({"vendor": "v", "version": "1"})",
                                           R"(["cockpit", "cockpit"])",
                                           R"(["spring-boot-starter"])",
                                           R"([1, 1.0])",
                                           R"({"telemetry-enabled": true})"};
    rapidjson::Document parsed;
    parsed.Parse<rapidjson::kParseFullPrecisionFlag>(kPalette[pick(std::size(kPalette))]);
    return rapidjson::Value(parsed, allocator);
  }

  void edit(rapidjson::Document& document, rapidjson::Document::AllocatorType& allocator) {
    static const char* const kNames[] = {
        "extra",   "telemetry-enabled", "database", "jdk",      "count",
        "webapps", "commands",          "metrics",  "customer", "vendor"};
    std::vector<Slot> slots;
    collect(document, nullptr, slots);
    const Slot slot = slots[pick(slots.size())];
    switch (pick(4)) {
      case 0:
        *slot.value = paletteValue(allocator);
        return;
      case 1:  // drop the member or item holding this value
        if (slot.parent && slot.parent->IsObject()) {
          for (auto member = slot.parent->MemberBegin(); member != slot.parent->MemberEnd();
               ++member) {
            if (&member->value == slot.value) {
              slot.parent->EraseMember(member);
              return;
            }
          }
        } else if (slot.parent && slot.parent->IsArray()) {
          slot.parent->Erase(slot.value);
        }
        return;
      case 2:  // add a member, never a repeated name (the collector's parser refuses those)
        if (slot.value->IsObject()) {
          const char* name = kNames[pick(std::size(kNames))];
          if (!slot.value->HasMember(name)) {
            slot.value->AddMember(rapidjson::Value(name, allocator), paletteValue(allocator),
                                  allocator);
          }
        }
        return;
      default:  // repeat an item, or add one
        if (slot.value->IsArray()) {
          if (!slot.value->Empty() && pick(2) == 0) {
            rapidjson::Value copy((*slot.value)[0], allocator);
            slot.value->PushBack(copy, allocator);
          } else {
            slot.value->PushBack(paletteValue(allocator), allocator);
          }
        }
        return;
    }
  }

  std::mt19937 random_;
};

std::vector<CrossCase> handWrittenCases() {
  std::vector<CrossCase> cases;
  for (const auto& [document, expected] : kReportCases) {
    std::string json =
        document.fixture.empty() ? document.edits.front().second : fixture(document.fixture);
    if (!document.fixture.empty()) {
      for (const auto& [from, to] : document.edits) json = replaced(json, from, to);
    }
    cases.push_back({"", json, "report case expecting " + expected.first});
  }
  for (const auto& [schemaAndValue, expected] : kSchemaCases) {
    const auto& [schema, value] = schemaAndValue;
    cases.push_back({keywordSchema(schema), "{\"v\": " + value + "}", "keyword case " + schema});
  }
  return cases;
}

// Asks both validators about every case; a document the collector's parser refuses is left
// out (jsonschema never sees what the collector refuses before validation).
// `compared` and `valid` count the cases both validators judged, and those found valid.
void expectSameVerdicts(const std::vector<CrossCase>& cases, std::size_t& compared,
                        std::size_t& valid) {
  const ReportValidator reportValidator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);
  std::vector<CrossCase> parsed;
  for (const auto& c : cases) {
    try {
      parse(c.document);
      parsed.push_back(c);
    } catch (const JsonSyntaxError&) {
    }
  }
  const auto verdicts = jsonschemaVerdicts(parsed);
  ASSERT_EQ(verdicts.size(), parsed.size());
  int disagreements = 0;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const auto& c = parsed[i];
    std::optional<ValidationError> error;
    if (c.schema.empty()) {
      error = reportValidator.validate(parse(c.document).root());
    } else {
      error = ReportValidator(parse(c.schema).root()).validate(parse(c.document).root());
    }
    const std::string ours = error ? "invalid" : "valid";
    // A $ref cycle: jsonschema recurses until Python gives up, ours stops at a depth limit.
    if (verdicts[i].starts_with("error: RecursionError") && error &&
        error->message == "is nested too deeply") {
      continue;
    }
    ++compared;
    if (!error) ++valid;
    if (verdicts[i] != ours && ++disagreements <= 20) {
      ADD_FAILURE() << c.origin << ": the collector says " << ours
                    << (error ? " (" + error->pointer + " " + error->message + ")" : "")
                    << ", jsonschema says " << verdicts[i] << "\n"
                    << c.document;
    }
  }
  EXPECT_EQ(disagreements, 0);
}

TEST(ReportValidatorCrossCheckTest, AgreesWithJsonschemaOnEveryWrittenCase) {
  const auto cases = handWrittenCases();
  std::size_t compared = 0;
  std::size_t valid = 0;
  expectSameVerdicts(cases, compared, valid);
  EXPECT_EQ(compared, cases.size() - 1);  // all but the $ref cycle
}

TEST(ReportValidatorCrossCheckTest, AgreesWithJsonschemaOnGeneratedReports) {
  constexpr std::uint32_t kSeed = 20261205;  // fixed: a failure can be replayed
  ReportMutator mutator(kSeed);
  const std::string fixtures[] = {fixture("spec-example-report.json"),
                                  fixture("spec-initial-report.json")};
  std::vector<CrossCase> cases;
  for (int i = 0; i < 4000; ++i) {
    cases.push_back(
        {"", mutator.mutate(fixtures[i % 2]),
         "generated case " + std::to_string(i) + " (seed " + std::to_string(kSeed) + ")"});
  }
  std::size_t compared = 0;
  std::size_t valid = 0;
  expectSameVerdicts(cases, compared, valid);
  EXPECT_GT(compared, 3900U);
  // Both verdicts must be well represented, or the comparison says little.
  EXPECT_GT(valid, 400U);
  EXPECT_GT(compared - valid, 400U);
  std::cout << "compared " << compared << " generated reports, " << valid << " valid\n";
}

TEST_F(ReportValidatorTest, RefusesASchemaWithAnUnsupportedKeyword) {
  EXPECT_THROW(ReportValidator(parse(R"({"type": "string", "maxLength": 3})").root()),
               std::invalid_argument);
}

TEST_F(ReportValidatorTest, RefusesASchemaWithADanglingRef) {
  EXPECT_THROW(ReportValidator(parse(R"({"$ref": "#/definitions/nothing"})").root()),
               std::invalid_argument);
}

TEST_F(ReportValidatorTest, EscapesPointerTokens) {
  EXPECT_EQ(ReportValidator::escapePointerToken("a/b~c"), "a~1b~0c");
}

}  // namespace
}  // namespace telemetry::collector
