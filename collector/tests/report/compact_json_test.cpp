#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/compact_json.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

using test::fixture;
using test::parse;

// What the collector stored before it parsed with RapidJSON: Poco's parse, keeping the
// sender's member order, condensed by Poco.
std::string condensedByPoco(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(parser.parse(text), out);
  return out.str();
}

std::string compact(const std::string& text) { return CompactJson::write(parse(text).root()); }

TEST(CompactJsonTest, WritesWhatPocoCondenseWrote) {
  const std::vector<std::string> documents{
      fixture("spec-example-report.json"),
      fixture("spec-initial-report.json"),
      R"({"z": 1, "a": [], "m": {}, "b": [null, true, false, {"x": []}]})",
      R"([[], {}, [[]], [{}], {"a": {}}, "", 0, true, false, null])",
      R"({"n": [0, -0, 1, -1, 42, 2147483647, 2147483648, -2147483648, -2147483649,)"
      R"( 4294967295, 4294967296, 9223372036854775807, -9223372036854775808,)"
      R"( 9223372036854775808, 18446744073709551615]})",
      R"({"d": [1.5, -1.5, -0.0, 0.0, 1.0, 10.0, 1e2, 1E-7, 0.1, 0.2, 0.3, 1e300, -1e300, 1e-300,)"
      R"( 3.141592653589793, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,)"
      R"( 1e15, 1e16, 1e21, 1e22, 123456.789, 0.000001, 0.0000001, 1e-5, 1e-15, 1e-16,)"
      R"( 12345678901234567.0, -1.25e-10, 2.5e+20, 100000000000000000000.0,)"
      R"( 9007199254740993.0, 0.1234567890123456789, 123456789012345.6, 1234567.5e10,)"
      R"( 4.35, 2.675, 1e-400, -1e-400, 0.30000000000000004]})",
      R"({"s": ["", "\"quoted\"", "back\\slash", "/slash", "\/escaped", "\b\f\n\r\t"]})",
      R"({"c": ["\u0000", "\u0001\u0007\u000b\u000e\u001f", "a\u0000b", "\u007f", "~"]})",
      R"({"u": ["\u00e9t\u00e9", "été", "\ud83d\ude00", "😀", "\u2028\u2029", "\ufeff",)"
      R"( "\uFFFF", "日本語", "\u00E9"]})",
      R"({"k\"ey": 1, "\u00e9": 2, "": 3, "a/b": 4, "\n": 5, "è": {"😀": []}})",
      R"(  {  "spaced"  :  [  1  ,  2  ]  ,  "x"  :  { }  }  )",
  };
  for (const auto& text : documents) {
    SCOPED_TRACE(text);
    std::string byPoco;
    ASSERT_NO_THROW(byPoco = condensedByPoco(text));
    EXPECT_EQ(compact(text), byPoco);
  }
}

TEST(CompactJsonTest, WritesEveryAsciiCharacterAsPocoDid) {
  for (int c = 0; c < 128; ++c) {
    char escaped[16];
    std::snprintf(escaped, sizeof escaped, "[\"\\u%04x\"]", c);
    SCOPED_TRACE(escaped);
    EXPECT_EQ(compact(escaped), condensedByPoco(escaped));
  }
}

TEST(CompactJsonTest, KeepsTheSendersMemberOrder) {
  EXPECT_EQ(compact(R"({ "b" : 1 , "a" : [ 2 , 3 ] })"), R"({"b":1,"a":[2,3]})");
}

// Poco 1.11 wrapped integers past 64 bits (18446744073709551616 became 0) or refused them;
// RapidJSON reads them as doubles, written as Poco writes doubles.
TEST(CompactJsonTest, WritesIntegersPast64BitsAsDoubles) {
  EXPECT_EQ(compact("[18446744073709551616, -9223372036854775809]"),
            "[1.8446744073709552e+19,-9.223372036854776e+18]");
}

}  // namespace
}  // namespace telemetry::collector
