#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ObjectMembers.hpp"

namespace telemetry::collector {
namespace {

std::vector<std::string> namesAndValues(const std::string& json, bool keepOrder) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(keepOrder));
  const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  std::vector<std::string> out;
  for (const auto& [name, value] : orderedMembers(*object)) {
    out.push_back(*name + "=" + value->toString());
  }
  return out;
}

TEST(ObjectMembersTest, lists_members_in_insertion_order_when_the_object_keeps_it) {
  EXPECT_EQ(namesAndValues(R"({"z": 1, "a": 2, "m": 3})", true),
            (std::vector<std::string>{"z=1", "a=2", "m=3"}));
}

TEST(ObjectMembersTest, lists_members_by_name_otherwise) {
  EXPECT_EQ(namesAndValues(R"({"z": 1, "a": 2, "m": 3})", false),
            (std::vector<std::string>{"a=2", "m=3", "z=1"}));
}

TEST(ObjectMembersTest, lists_a_repeated_name_once_with_its_last_value) {
  EXPECT_EQ(namesAndValues(R"({"a": 1, "b": 2, "a": 3})", true),
            (std::vector<std::string>{"a=3", "b=2"}));
}

}  // namespace
}  // namespace telemetry::collector
