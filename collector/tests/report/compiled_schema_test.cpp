#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

#include "report/compiled_schema.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

CompiledSchema compiled(const std::string& json) {
  return CompiledSchema(test::parse(json).root());
}

TEST(CompiledSchemaTest, DecodesKeywordsAndWordsTheirMessagesOnce) {
  const auto schema = compiled(
      R"({"type": ["string", "integer"], "enum": ["a", 1], "minLength": 2, "minimum": 0.5,)"
      R"( "pattern": "^a", "required": ["x"], "uniqueItems": true})");
  const auto& root = schema.root();
  EXPECT_EQ(root.types, schema_type::kString | schema_type::kInteger);
  EXPECT_EQ(root.typeMessage, "must be a string or an integer");
  EXPECT_EQ(root.enumStrings, std::vector<std::string>{"a"});
  EXPECT_EQ(root.enumCanonical, std::vector<std::string>{"1"});
  EXPECT_EQ(root.enumMessage, "must be one of: a, 1");
  EXPECT_EQ(root.minLength, 2u);
  EXPECT_EQ(root.minLengthMessage, "must be at least 2 characters");
  EXPECT_EQ(root.minimum, 0.5);
  ASSERT_NE(root.pattern, nullptr);
  EXPECT_EQ(root.patternMessage, "must match ^a");
  EXPECT_EQ(root.required, std::vector<std::string>{"x"});
  EXPECT_TRUE(root.uniqueItems);
}

// The data dictionary's keywords (docs/data.md) annotate the host's fields; any other
// unknown keyword is still refused.
TEST(CompiledSchemaTest, TakesTheDataDictionarysKeywordsAsAnnotations) {
  EXPECT_NO_THROW(compiled(
      R"({"type": "string", "description": "d", "x-purpose": "why", "x-filled-by": "host"})"));
  EXPECT_THROW(compiled(R"({"x-other": "?"})"), std::invalid_argument);
}

TEST(CompiledSchemaTest, LetsAnyTypeThroughWithoutATypeKeyword) {
  EXPECT_EQ(compiled(R"({"minimum": 1})").root().types, schema_type::kAny);
  EXPECT_EQ(compiled(R"({"type": "number"})").root().types, schema_type::kNumber);
}

TEST(CompiledSchemaTest, CompilesBooleanSchemasToVerdicts) {
  const auto schema = compiled(R"({"properties": {"yes": true, "no": false}})");
  EXPECT_EQ(schema.root().properties.at("yes")->verdict, SchemaNode::Verdict::acceptAll);
  EXPECT_EQ(schema.root().properties.at("no")->verdict, SchemaNode::Verdict::rejectAll);
}

TEST(CompiledSchemaTest, ResolvesEachRefOnceEvenInACycle) {
  const auto schema = compiled(
      R"({"properties": {"a": {"$ref": "#/definitions/x"}, "b": {"$ref": "#/definitions/x"}},)"
      R"( "definitions": {"x": {"items": {"$ref": "#/definitions/x"}}}})");
  const SchemaNode* target = schema.root().properties.at("a")->ref;
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(schema.root().properties.at("b")->ref, target);
  EXPECT_EQ(target->items->ref, target);
}

TEST(CompiledSchemaTest, KeepsItsNodesValidWhenMoved) {
  auto schema = compiled(R"({"properties": {"a": {"$ref": "#/definitions/x"}},)"
                         R"( "definitions": {"x": {"minLength": 3}}})");
  const CompiledSchema moved(std::move(schema));
  EXPECT_EQ(moved.root().properties.at("a")->ref->minLength, 3u);
}

TEST(CompiledSchemaTest, RefusesWhatItCannotCheck) {
  EXPECT_THROW(compiled(R"({"maxLength": 3})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"$ref": "#/definitions/nothing"})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"$ref": "other.json#/x"})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"pattern": "("})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"items": 3})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"type": "text"})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"minLength": -1})"), std::invalid_argument);
  EXPECT_THROW(compiled(R"({"enum": 1})"), std::invalid_argument);
}

}  // namespace
}  // namespace telemetry::collector
