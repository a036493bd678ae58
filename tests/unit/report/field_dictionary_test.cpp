// The data dictionary: the host's fields from the schema, a plugin's from its descriptor,
// looked up for each field of a report and shown beside it.
#include "report/field_dictionary.hpp"

#include <regex>
#include <string>

#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/report_section_table.hpp"

namespace {

using telemetry::FieldDictionary;
using telemetry::FieldExplanation;
using telemetry::PluginInfo;
using telemetry::pointerMatches;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

PluginInfo plugin(std::string name, std::string section, bool enabled,
                  std::vector<telemetry::DocumentedField> fields) {
  PluginInfo info;
  info.name = std::move(name);
  info.section = std::move(section);
  info.enabled = enabled;
  info.state = "loaded";
  info.fields = std::move(fields);
  return info;
}

/// Keeps the members' order, as the report builder does.
Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

TEST(FieldDictionaryTest, PointersMatchTokenByTokenWithWildcards) {
  EXPECT_TRUE(pointerMatches("/a/*/count", "/a/StartCmd/count"));
  EXPECT_TRUE(pointerMatches("/a/*", "/a/0"));
  EXPECT_TRUE(pointerMatches("/a/*", "/a/"));  // an empty member name is a token too
  EXPECT_FALSE(pointerMatches("/a/*", "/a/b/c"));
  EXPECT_FALSE(pointerMatches("/a/*/count", "/a/b"));
  EXPECT_FALSE(pointerMatches("/ab", "/a"));
  EXPECT_TRUE(pointerMatches("", ""));
}

TEST(FieldDictionaryTest, EveryHostFieldOfTheSchemaIsDocumented) {
  // The generator refuses a schema without them; this says so where the table is used.
  for (const auto& field : telemetry::report_schema::kFields) {
    if (!field.section.empty()) continue;
    EXPECT_FALSE(field.description.empty()) << field.pointer;
    EXPECT_FALSE(field.purpose.empty()) << field.pointer;
    EXPECT_FALSE(field.filledBy.empty()) << field.pointer;
  }
  FieldDictionary dictionary({});
  FieldExplanation count = dictionary.explain("/product/internals/commands/StartCmd/count");
  EXPECT_THAT(count.description, HasSubstr("How many since the counts were last delivered"));
  EXPECT_THAT(count.filledBy, HasSubstr("host: usage counters"));
  EXPECT_EQ(count.pointer, "/product/internals/commands/StartCmd/count");
  EXPECT_THAT(dictionary.explain("/installation").description, HasSubstr("random UUID"));
}

TEST(FieldDictionaryTest, APluginsFieldsComeFromItsDescriptorAndTheRestIsUndocumented) {
  FieldDictionary dictionary(
      {plugin("jdk", "/product/internals/jdk", true,
              {{"", "The JDK.", "Which JDKs."}, {"/version", "Its version.", "Which versions."}})});
  EXPECT_EQ(dictionary.explain("/product/internals/jdk/version").description, "Its version.");
  EXPECT_EQ(dictionary.explain("/product/internals/jdk/version").filledBy, "plugin jdk");
  FieldExplanation vendor = dictionary.explain("/product/internals/jdk/vendor");
  EXPECT_FALSE(vendor.documented());
  EXPECT_EQ(vendor.filledBy, "plugin jdk");
  FieldExplanation unknown = dictionary.explain("/product/internals/nobody");
  EXPECT_FALSE(unknown.documented());
  EXPECT_EQ(unknown.filledBy, "");
}

TEST(FieldDictionaryTest, WhereSeveralPluginsFillASectionTheEnabledOneExplainsIt) {
  FieldDictionary dictionary(
      {plugin("h2", "/product/internals/database", false, {{"/vendor", "H2's.", "p"}}),
       plugin("postgresql", "/product/internals/database", true, {{"/vendor", "PG's.", "p"}})});
  EXPECT_EQ(dictionary.explain("/product/internals/database/vendor").description, "PG's.");
  PluginInfo refused = plugin("evil", "/product/internals/database", true,
                              {{"/vendor", "Not to be believed.", "p"}});
  refused.state = "refused: something";
  FieldDictionary withRefused({refused});
  EXPECT_FALSE(withRefused.explain("/product/internals/database/vendor").documented());
}

TEST(FieldDictionaryTest, ExplainsEachFieldOfAReportInItsOrder) {
  FieldDictionary dictionary({});
  auto fields = dictionary.explainAll(parse(
      R"({"installation":"x","product":{"name":"P","internals":{"commands":{"a/b":{"count":1}},"webapps":["cockpit"]}}})"));
  std::vector<std::string> pointers;
  for (const auto& f : fields) pointers.push_back(f.pointer);
  EXPECT_THAT(pointers, ::testing::ElementsAre(
                            "/installation", "/product", "/product/name", "/product/internals",
                            "/product/internals/commands", "/product/internals/commands/a~1b",
                            "/product/internals/commands/a~1b/count", "/product/internals/webapps",
                            "/product/internals/webapps/0"));
  EXPECT_TRUE(fields[6].documented());
  EXPECT_FALSE(fields[8].documented());
}

TEST(FieldDictionaryTest, AnnotatesEachLineAndMakesPluginTextPrintable) {
  FieldDictionary dictionary({plugin(
      "jdk", "/product/internals/jdk", true,
      {{"", "The JDK.\x1b[2J", "Which JDKs."}, {"/version", "Its version.", "Which JDKs."}})});
  const std::string text = dictionary.annotate(parse(
      R"({"installation":"x","product":{"internals":{"jdk":{"version":"17","vendor":"V"}}}})"));
  EXPECT_THAT(text, HasSubstr(R"(  "installation": "x",  // A random UUID)"));
  EXPECT_THAT(text, HasSubstr(R"("jdk": {  // The JDK.\x1b[2J Why: Which JDKs. [plugin jdk])"));
  // The purpose and filler are the enclosing field's: not repeated.
  EXPECT_THAT(text, HasSubstr(R"("version": "17",  // Its version.)"
                              "\n"));
  EXPECT_THAT(text, HasSubstr(R"("vendor": "V"  // undocumented)"
                              "\n"));
  EXPECT_THAT(text, Not(HasSubstr("\x1b")));
  // Without the comments it is the report.
  const std::string json = std::regex_replace(text, std::regex("  // [^\n]*"), "");
  EXPECT_EQ(parse(json)
                ->getObject("product")
                ->getObject("internals")
                ->getObject("jdk")
                ->getValue<std::string>("vendor"),
            "V");
}

TEST(FieldDictionaryTest, TheJsonFormHasTheReportAndOneEntryPerField) {
  FieldDictionary dictionary({});
  auto json = dictionary.toJson(parse(R"({"installation":"x","extra":1})"));
  ASSERT_TRUE(json->getObject("report"));
  auto fields = json->getArray("fields");
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ(fields->getObject(0)->getValue<std::string>("pointer"), "/installation");
  EXPECT_THAT(fields->getObject(0)->getValue<std::string>("purpose"), HasSubstr("count"));
  EXPECT_TRUE(fields->getObject(1)->isNull("description"));
}

}  // namespace
