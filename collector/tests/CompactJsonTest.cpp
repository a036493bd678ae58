#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "CompactJson.hpp"
#include "TestFixtures.hpp"

namespace telemetry::collector {
namespace {

using test::fixture;
using test::parse;

std::string condensedByPoco(const Poco::Dynamic::Var& document) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(document, out);
  return out.str();
}

TEST(CompactJsonTest, writes_what_poco_condense_writes) {
  const std::vector<std::string> documents{
      fixture("spec-example-report.json"),
      fixture("spec-initial-report.json"),
      R"({"z": 1, "a": [], "m": {}, "b": [null, true, false, {"x": []}]})",
      R"({"n": [0, -1, 9223372036854775807, -9223372036854775808, 18446744073709551615]})",
      R"({"d": [1.5, -0.0, 1e2, 1E-7, 3.141592653589793, 1.7976931348623157e308, 5e-324]})",
      R"({"s": ["", "\"quoted\"", "back\\slash", "/slash", "\b\f\n\r\t", "\u0001\u001f"]})",
      R"({"u": ["\u00e9t\u00e9", "été", "\ud83d\ude00", "😀", "\u2028"]})",
      R"({"k\"ey": 1, "\u00e9": 2, "": 3})",
      R"({"dup": 1, "dup": 2})",
  };
  for (const auto& text : documents) {
    SCOPED_TRACE(text);
    for (bool keepOrder : {true, false}) {
      Poco::Dynamic::Var document;
      ASSERT_NO_THROW(document = parse(text, keepOrder));
      EXPECT_EQ(CompactJson::write(document), condensedByPoco(document));
    }
  }
}

TEST(CompactJsonTest, keeps_the_senders_member_order) {
  EXPECT_EQ(CompactJson::write(parse(R"({ "b" : 1 , "a" : [ 2 , 3 ] })", true)),
            R"({"b":1,"a":[2,3]})");
}

}  // namespace
}  // namespace telemetry::collector
