#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report/compiled_schema.hpp"
#include "report/section_columns.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

using report_schema::SectionType;

const SchemaNode& target(const SchemaNode& node) { return node.ref ? target(*node.ref) : node; }

const SchemaNode& property(const SchemaNode& node, const std::string& name) {
  const auto& resolved = target(node);
  const auto it = resolved.properties.find(name);
  if (it == resolved.properties.end()) throw std::out_of_range("no property " + name);
  return target(*it->second);
}

std::uint8_t typeBits(SectionType type) {
  switch (type) {
    case SectionType::object:
      return schema_type::kObject;
    case SectionType::array:
      return schema_type::kArray;
    case SectionType::string:
      return schema_type::kString;
    case SectionType::boolean:
      return schema_type::kBoolean;
    case SectionType::integer:
      return schema_type::kInteger;
    case SectionType::number:
      return schema_type::kNumber | schema_type::kInteger;
    case SectionType::any:
      break;
  }
  return schema_type::kAny;
}

// The host and the collector compile in the same generated table; it must say what the
// schema the collector validates with at run time says, section for section.
TEST(SectionColumnsTest, TheGeneratedTableIsTheSchemaTheCollectorValidatesWith) {
  const auto document = test::parse(test::readFile(TELEMETRY_REPORT_SCHEMA));
  const CompiledSchema schema(document.root());
  ASSERT_EQ(schema.root().oneOf.size(), 2u);
  const SchemaNode& internals =
      property(property(target(*schema.root().oneOf[0]), "product"), "internals");

  std::vector<std::string> allowed;  // members a full report may hold, `false` ones left out
  for (const auto& [name, node] : internals.properties) {
    if (node->verdict != SchemaNode::Verdict::rejectAll) allowed.push_back(name);
  }
  std::vector<std::string> tabled;
  for (const auto& section : report_schema::kSections) {
    tabled.emplace_back(section.name);
    EXPECT_EQ(section.pointer, "/product/internals/" + std::string(section.name));
    EXPECT_EQ(property(internals, std::string(section.name)).types, typeBits(section.type))
        << section.name;
    const bool required = std::find(internals.required.begin(), internals.required.end(),
                                    section.name) != internals.required.end();
    EXPECT_EQ(section.filledByHost, required) << section.name;
  }
  std::sort(tabled.begin(), tabled.end());
  EXPECT_EQ(tabled, allowed);  // the compiled properties are a map, sorted by name
}

TEST(SectionColumnsTest, EveryColumnReadsASectionOfTheSchemaOfTheTypeItNeeds) {
  for (const auto& column : kSectionColumns) {
    EXPECT_TRUE(readsASectionOfTheSchema(column)) << column.section;
  }
  EXPECT_FALSE(readsASectionOfTheSchema({"jdk", ColumnSource::list, &ReceivedReport::jdk}));
  EXPECT_FALSE(readsASectionOfTheSchema({"os", ColumnSource::vendor, &ReceivedReport::jdk}));
}

}  // namespace
}  // namespace telemetry::collector
