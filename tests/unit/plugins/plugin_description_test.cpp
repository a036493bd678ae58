// A plugin's description as JSON (a telemetry-probe child's answer, a descriptor cache
// entry): the documented fields survive the round trip, and hostile ones are refused.
#include "plugins/descriptors/plugin_description.hpp"

#include <sstream>
#include <stdexcept>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using telemetry::descriptionFromJson;
using telemetry::descriptionToJson;
using telemetry::DocumentedField;
using telemetry::PluginInfo;
using ::testing::HasSubstr;

PluginInfo documentedPlugin() {
  PluginInfo info;
  info.name = "documented";
  info.section = "/product/internals/documented";
  info.abi = telemetry::plugin::AbiVersion{1, 2};
  info.state = "loaded";
  info.fields = {{"", "The section.", "Why."}, {"/items/*", "One item: \"quoted\".", "Why not."}};
  return info;
}

/// descriptionToJson(documentedPlugin()) with its "fields" replaced by `fields` (JSON text).
Poco::JSON::Object::Ptr withFields(const std::string& fields) {
  Poco::JSON::Object::Ptr json = descriptionToJson(documentedPlugin());
  json->set("fields", Poco::JSON::Parser().parse(fields));
  return json;
}

std::string problemOf(const Poco::JSON::Object::Ptr& json) {
  PluginInfo info;
  try {
    descriptionFromJson(*json, info);
    return {};
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

TEST(PluginDescriptionTest, DocumentedFieldsSurviveTheJsonRoundTrip) {
  std::ostringstream text;
  descriptionToJson(documentedPlugin())->stringify(text);
  auto parsed = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  PluginInfo read;
  descriptionFromJson(*parsed, read);
  EXPECT_EQ(read.fields, documentedPlugin().fields);
}

TEST(PluginDescriptionTest, ADescriptionWithoutFieldsDocumentsNothing) {
  Poco::JSON::Object::Ptr json = descriptionToJson(documentedPlugin());
  json->remove("fields");
  PluginInfo read;
  descriptionFromJson(*json, read);
  EXPECT_TRUE(read.fields.empty());
}

TEST(PluginDescriptionTest, RefusesFieldsOfTheWrongShape) {
  EXPECT_THAT(problemOf(withFields(R"({"pointer":"/a"})")), HasSubstr("'fields' is not an array"));
  EXPECT_THAT(problemOf(withFields(R"(["/a"])")), HasSubstr("other than objects"));
  EXPECT_THAT(problemOf(withFields(R"([{"pointer":"/a","description":1,"purpose":"p"}])")),
              HasSubstr("'description' is not a string"));
  EXPECT_THAT(problemOf(withFields(R"([{"pointer":"/a","description":"d"}])")),
              HasSubstr("'purpose' is not a string"));
}

TEST(PluginDescriptionTest, RefusesHostileFields) {
  const std::string field = R"({"pointer":"/a","description":"d","purpose":"p"})";
  EXPECT_THAT(problemOf(withFields("[" + field + "," + field + "]")),
              HasSubstr("documented twice"));
  EXPECT_THAT(problemOf(withFields(R"([{"pointer":"/a","description":"d )" + std::string(600, 'x') +
                                   R"(","purpose":"p"}])")),
              HasSubstr("longer than 512 bytes"));
  std::string many = "[";
  for (int i = 0; i < 100000; ++i) many += (i ? "," : "") + field;
  EXPECT_THAT(problemOf(withFields(many + "]")), HasSubstr("more than 64 fields"));
  // Poco's parser keeps bytes that are not UTF-8 and decodes \u0000 into the string.
  Poco::JSON::Object::Ptr invalid = withFields("[]");
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  Poco::JSON::Object::Ptr bad = new Poco::JSON::Object;
  bad->set("pointer", std::string("/a"));
  bad->set("description", std::string("bad \xfe byte"));
  bad->set("purpose", std::string("p"));
  list->add(bad);
  invalid->set("fields", list);
  EXPECT_THAT(problemOf(invalid), HasSubstr("not valid UTF-8"));
  bad->set("description", std::string("cut\0here", 8));
  EXPECT_THAT(problemOf(invalid), HasSubstr("NUL"));
}

}  // namespace
