// The report's section table is generated from config/report.schema.json at build time
// (cmake/ReportSections.cmake); the host's report follows it.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/report_builder.hpp"
#include "telemetry/report_section_table.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace {

using telemetry::ProbeOutcome;
using telemetry::report_schema::kSections;
using telemetry::report_schema::SectionType;
using ::testing::HasSubstr;

std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// config/report.schema.json, as the build read it.
rapidjson::Document shippedSchema() {
  rapidjson::Document schema;
  schema.Parse(readFile(TELEMETRY_REPORT_SCHEMA).c_str());
  if (schema.HasParseError()) throw std::runtime_error("config/report.schema.json is not JSON");
  return schema;
}

rapidjson::Value& internalsProperties(rapidjson::Document& schema) {
  return schema["definitions"]["fullReport"]["properties"]["product"]["properties"]["internals"]
               ["properties"];
}

/// Runs the build's generator on `schemaText`; its exit code, the header and what it said.
struct Generated {
  int exitCode;
  std::string header;
  std::string err;
};
Generated generate(const std::string& schemaText) {
  telemetry::test::TempDirectory dir;
  std::ofstream(dir.path() / "schema.json", std::ios::binary) << schemaText;
  const auto run = telemetry::test::runProgram(
      TELEMETRY_GENERATE_REPORT_SECTIONS,
      {(dir.path() / "schema.json").string(), (dir.path() / "table.hpp").string()}, dir.path());
  return {run.exitCode, readFile(dir.path() / "table.hpp"), run.err};
}

std::string textOf(const rapidjson::Document& schema) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> writer(text);
  schema.Accept(writer);
  return text.GetString();
}

std::vector<std::string> tabledNames() {
  std::vector<std::string> names;
  for (const auto& section : kSections) names.emplace_back(section.name);
  return names;
}

TEST(ReportSectionsTest, TheTableListsTheSchemasSectionsInItsOrder) {
  rapidjson::Document schema = shippedSchema();
  std::vector<std::string> inSchema;
  for (const auto& member : internalsProperties(schema).GetObject()) {
    // `false`: forbidden in the full report (telemetry-enabled belongs to the initial one).
    if (!member.value.IsFalse()) inSchema.emplace_back(member.name.GetString());
  }
  EXPECT_EQ(tabledNames(), inSchema);
  EXPECT_THAT(telemetry::report_schema::kHostSections,
              ::testing::ElementsAre("telemetry-enabled", "commands", "metrics"));
}

TEST(ReportSectionsTest, ASectionAddedToACopyOfTheSchemaShowsUpInItsPlace) {
  rapidjson::Document schema = shippedSchema();
  auto& allocator = schema.GetAllocator();
  rapidjson::Value properties(rapidjson::kObjectType);
  for (auto& member : internalsProperties(schema).GetObject()) {
    const std::string name = member.name.GetString();
    properties.AddMember(rapidjson::Value(name.c_str(), allocator), member.value, allocator);
    if (name == "jdk") {
      rapidjson::Value os(rapidjson::kObjectType);
      os.AddMember("type", "string", allocator);
      properties.AddMember("os", os, allocator);
    }
  }
  rapidjson::Value count(rapidjson::kObjectType);
  count.AddMember("$ref", "#/definitions/count", allocator);
  properties.AddMember("uptime", count, allocator);
  internalsProperties(schema) = properties;

  const auto generated = generate(textOf(schema));
  ASSERT_EQ(generated.exitCode, 0) << generated.err;
  const auto jdk =
      generated.header.find(R"({"jdk", "/product/internals/jdk", SectionType::object)");
  const auto os = generated.header.find(R"({"os", "/product/internals/os", SectionType::string)");
  const auto commands = generated.header.find(R"({"commands",)");
  const auto uptime = generated.header.find(
      R"({"uptime", "/product/internals/uptime", SectionType::object, false})");
  ASSERT_NE(os, std::string::npos) << generated.header;
  ASSERT_NE(uptime, std::string::npos) << generated.header;
  EXPECT_LT(jdk, os);
  EXPECT_LT(os, commands);
  EXPECT_LT(generated.header.find(R"({"webapps",)"), uptime);
  EXPECT_THAT(generated.header, HasSubstr("std::array<Section, " +
                                          std::to_string(kSections.size() + 2) + "> kSections"));
}

TEST(ReportSectionsTest, TheGeneratorRefusesASectionNameItsPointerWouldHaveToEscape) {
  rapidjson::Document schema = shippedSchema();
  internalsProperties(schema).AddMember("host/uptime", true, schema.GetAllocator());
  const auto generated = generate(textOf(schema));
  EXPECT_EQ(generated.exitCode, 1);
  EXPECT_THAT(generated.err, HasSubstr("internals/properties/host/uptime: a section name must be "
                                       "non-empty, without '/' or '~'"));
}

TEST(ReportSectionsTest, TheTableListsEveryFieldTheHostsDocumentedAndThePluginsUnderTheirSection) {
  using telemetry::report_schema::kFields;
  auto field = [](std::string_view pointer) {
    return std::find_if(kFields.begin(), kFields.end(),
                        [&](const auto& f) { return f.pointer == pointer; });
  };
  ASSERT_NE(field("/installation"), kFields.end());
  EXPECT_THAT(std::string(field("/installation")->filledBy), HasSubstr("state store"));
  ASSERT_NE(field("/product/internals/metrics/unique-task-workers/count"), kFields.end());
  // x-purpose and x-filled-by are inherited from the field a field lies in.
  EXPECT_EQ(field("/product/internals/commands/*/count")->purpose,
            field("/product/internals/commands")->purpose);
  ASSERT_NE(field("/product/internals/license-key/features/*"), kFields.end());
  EXPECT_EQ(field("/product/internals/license-key/features/*")->section, "license-key");
  EXPECT_EQ(field("/product/internals/database/vendor")->description, "");
  ASSERT_NE(field("/product/internals/telemetry-enabled"), kFields.end());
  EXPECT_EQ(field("/product/internals/telemetry-enabled")->section, "");
}

TEST(ReportSectionsTest, TheGeneratorRefusesAHostFieldWithoutDescription) {
  rapidjson::Document schema = shippedSchema();
  auto& allocator = schema.GetAllocator();
  rapidjson::Value uptime(rapidjson::kObjectType);
  uptime.AddMember("$ref", "#/definitions/count", allocator);
  internalsProperties(schema).AddMember("uptime", uptime, allocator);
  schema["definitions"]["fullReport"]["properties"]["product"]["properties"]["internals"]
        ["required"]
            .PushBack("uptime", allocator);
  const auto generated = generate(textOf(schema));
  EXPECT_EQ(generated.exitCode, 1);
  EXPECT_THAT(generated.err,
              HasSubstr("the host's field /product/internals/uptime has no description"));
}

TEST(ReportSectionsTest, TheGeneratorSaysWhereASchemaLacksTheInternals) {
  const auto generated = generate(R"({"definitions": {"fullReport": {"properties": {}}}})");
  EXPECT_EQ(generated.exitCode, 1);
  EXPECT_THAT(generated.err, HasSubstr("#/definitions/fullReport/properties has no member "
                                       "'product'"));
  EXPECT_EQ(generate("{oops").exitCode, 1);
}

// A value of the schema's type for each section, and one of another type.
std::string valueOf(SectionType type) {
  switch (type) {
    case SectionType::array:
      return R"(["x"])";
    case SectionType::string:
      return R"("x")";
    case SectionType::boolean:
      return "true";
    case SectionType::integer:
    case SectionType::number:
      return "1";
    case SectionType::object:
    case SectionType::any:
      break;
  }
  return R"({"vendor":"x","version":"1"})";
}
std::string otherThan(SectionType type) { return type == SectionType::string ? "1" : R"("x")"; }

TEST(ReportSectionsTest, TheReportBuilderPlacesEverySectionInTheTablesOrder) {
  std::vector<ProbeOutcome> outcomes;
  for (auto section = kSections.rbegin(); section != kSections.rend(); ++section) {
    if (section->filledByHost) continue;
    outcomes.push_back({"p",
                        std::string(section->pointer),
                        ProbeOutcome::Status::value,
                        valueOf(section->type),
                        {}});
  }
  telemetry::ReportBuilder builder{{"P", "1", telemetry::Edition::community},
                                   "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3"};
  const std::string text = telemetry::toJsonText(builder.full(outcomes, {}), false);
  std::vector<std::size_t> positions;
  for (const auto& section : kSections) {
    positions.push_back(text.find("\"" + std::string(section.name) + "\":"));
    EXPECT_NE(positions.back(), std::string::npos) << section.name << " missing in " << text;
  }
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end())) << text;
}

TEST(ReportSectionsTest, TheReportBuilderRefusesAValueOfAnotherTypeThanTheSchemas) {
  for (const auto& section : kSections) {
    if (section.filledByHost || section.type == SectionType::any) continue;
    const ProbeOutcome wrong{"p",
                             std::string(section.pointer),
                             ProbeOutcome::Status::value,
                             otherThan(section.type),
                             {}};
    EXPECT_THAT(telemetry::sectionProblem(wrong),
                HasSubstr("where section '" + std::string(section.name) + "' needs a"));
    const ProbeOutcome right{
        "p", std::string(section.pointer), ProbeOutcome::Status::value, valueOf(section.type), {}};
    EXPECT_EQ(telemetry::sectionProblem(right), "") << section.name;
  }
}

}  // namespace
