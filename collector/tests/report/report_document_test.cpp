#include <gtest/gtest.h>

#include <string>

#include "report/report_document.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

using test::fixture;

// The whole answer text of a body the collector refuses, "" when it parses.
std::string refusal(std::string_view body) {
  try {
    const ReportDocument document(body);
    return "";
  } catch (const JsonSyntaxError& e) {
    return e.what();
  }
}

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

TEST(ReportDocumentTest, ParsesTheSpecReports) {
  const ReportDocument example(fixture("spec-example-report.json"));
  EXPECT_TRUE(example.root().IsObject());
  EXPECT_STREQ(example.root()["product"]["edition"].GetString(), "enterprise");
  EXPECT_EQ(refusal(fixture("spec-initial-report.json")), "");
}

TEST(ReportDocumentTest, SaysWhatIsWrongAndAtWhichByte) {
  EXPECT_EQ(refusal(R"({"a": 1 "b": 2})"),
            "not valid JSON: missing a comma or '}' after an object member at byte 8");
  EXPECT_EQ(refusal("{\"installation\": "), "not valid JSON: invalid value at byte 17");
  EXPECT_EQ(refusal(""), "not valid JSON: the document is empty");
  EXPECT_EQ(refusal("  \n"), "not valid JSON: the document is empty");
}

TEST(ReportDocumentTest, RefusesAnythingAfterTheValue) {
  EXPECT_EQ(refusal("{} {}"),
            "not valid JSON: the document root must not be followed by other values at byte 3");
  EXPECT_EQ(refusal("{}x"),
            "not valid JSON: the document root must not be followed by other values at byte 2");
  EXPECT_EQ(refusal(std::string("{}\0{}", 5)), "not valid JSON: a NUL byte at byte 2");
  EXPECT_EQ(refusal("{} \n\t"), "");
}

TEST(ReportDocumentTest, RefusesNestingDeeperThan32) {
  EXPECT_EQ(refusal(nested(32)), "");
  EXPECT_EQ(refusal(nested(33)), "not valid JSON: nested deeper than 32 levels at byte 32");
  EXPECT_EQ(refusal(R"({"a": )" + nested(32) + "}"),
            "not valid JSON: nested deeper than 32 levels at byte 37");
  // A megabyte of brackets is refused at the 33rd, without recursing.
  EXPECT_EQ(refusal(std::string(1 << 20, '[')),
            "not valid JSON: nested deeper than 32 levels at byte 32");
}

// Found by the collector_report fuzz target: with full precision RapidJSON read 2.5e308 as
// infinity, which CompactJson then stored as a payload that is not JSON.
TEST(ReportDocumentTest, RefusesANumberBeyondTheLargestDouble) {
  const std::string tooBig = "not valid JSON: number too big to be stored in double at byte ";
  EXPECT_EQ(refusal(R"({"a": 2.5e308})").substr(0, tooBig.size()), tooBig);
  EXPECT_EQ(refusal("[-1e400]").substr(0, tooBig.size()), tooBig);
  EXPECT_EQ(refusal("[1.7976931348623157e308, 1e-300, -0.5e-300]"), "");
}

// Found by the collector_report fuzz target: RapidJSON 1.1's full-precision reader crashed
// (SIGSEGV) on these, so they are refused before it reads them.
TEST(ReportDocumentTest, RefusesNumbersTheJsonReaderCannotReadSafely) {
  const std::string unsafe =
      "not valid JSON: a number of too many digits for its exponent (the JSON reader cannot "
      "read it exactly) at byte ";
  EXPECT_EQ(refusal("[5.4444444444444e-337]"), unsafe + "1");
  EXPECT_EQ(refusal("[0." + std::string(353, '0') + "]"), unsafe + "1");
  EXPECT_EQ(refusal(R"({"a": 1.5e-299, "b": 1.2345678901234567e-330})"), unsafe + "21");
  EXPECT_EQ(refusal(R"({"a": 1E-99999999999999999999})"), unsafe + "6");
  EXPECT_EQ(refusal(R"({"5.4444444444444e-337": "0.)" + std::string(353, '0') + R"(\""})"), "")
      << "numbers inside strings are text";
}

TEST(ReportDocumentTest, ReadsTheSmallestDoublesAndWhatUnderflowsToZero) {
  EXPECT_EQ(refusal("[5e-324, 2.2250738585072014e-308, 4.9406564584124654e-324]"), "");
  EXPECT_EQ(refusal("[1e-400, -1e-400, 0.000001, 1" + std::string(300, '0') + "e-600]"), "");
  EXPECT_EQ(refusal("[0." + std::string(300, '0') + "1]"), "");
  EXPECT_EQ(refusal("[1." + std::string(60, '1') + "e-300]"), "") << "it reads 20 digits";
  // Found by fuzzing the guard itself: an exponent near 2^63 overflowed its arithmetic.
  EXPECT_EQ(refusal("[1.5e-9223372036854775807]"), "");
  EXPECT_EQ(refusal("[1.5e9223372036854775807]").substr(0, 22), "not valid JSON: number");
}

// Found by the collector_report fuzz target: a lone low surrogate escape was decoded into
// bytes that are not UTF-8, and stored so.
TEST(ReportDocumentTest, RefusesALoneLowSurrogateEscape) {
  const std::string invalid = "not valid JSON: the surrogate pair in string is invalid at byte ";
  EXPECT_EQ(refusal(R"(["\udf00"])").substr(0, invalid.size()), invalid);
  EXPECT_EQ(refusal(R"({"\udc00": 1})").substr(0, invalid.size()), invalid);
  EXPECT_EQ(refusal(R"(["\ud800\udc00", "\ud7ff\ue000"])"), "");
}

TEST(ReportDocumentTest, RefusesInvalidUtf8) {
  EXPECT_EQ(refusal("[\"\xff\"]"), "not valid JSON: invalid encoding in string at byte 2");
  EXPECT_EQ(refusal("[\"\xc3\"]"), "not valid JSON: invalid encoding in string at byte 2");
  EXPECT_EQ(refusal(R"(["\ud800"])"),
            "not valid JSON: the surrogate pair in string is invalid at byte 2");
  EXPECT_EQ(refusal("[\"\xc3\xa9\", \"\\u00e9\\ud83d\\ude00\"]"), "");
}

TEST(ReportDocumentTest, RefusesARepeatedMemberNameNamingIt) {
  EXPECT_EQ(refusal(R"({"a": 1, "b": 2, "a": 3})"),
            "not valid JSON: duplicate key \"a\" in the top-level object");
  EXPECT_EQ(refusal(R"({"product": {"internals": [{}, {"x/y": {"v": 1, "v": 2}}]}})"),
            "not valid JSON: duplicate key \"v\" in /product/internals/1/x~1y");
  EXPECT_EQ(refusal(R"({"a": {"b": 1}, "c": {"b": 2}})"), "");
}

TEST(ReportDocumentTest, FindsARepeatedNameAmongManyMembers) {
  std::string body = "{";
  for (int i = 0; i < 1000; ++i) body += "\"k" + std::to_string(i) + "\": 1, ";
  EXPECT_EQ(refusal(body + "\"z\": 0}"), "");
  EXPECT_EQ(refusal(body + "\"k500\": 0}"),
            "not valid JSON: duplicate key \"k500\" in the top-level object");
}

TEST(ReportDocumentTest, ShortensALongRepeatedName) {
  const std::string name = std::string(63, 'a') + "\xc3\xa9" + std::string(100, 'b');
  EXPECT_EQ(
      refusal("{\"" + name + "\": 1, \"" + name + "\": 2}"),
      "not valid JSON: duplicate key \"" + std::string(63, 'a') + "...\" in the top-level object");
}

TEST(ReportDocumentTest, KeepsNumbersAsIntegersOrDoubles) {
  const ReportDocument document(
      R"([9223372036854775807, -9223372036854775808, 18446744073709551615, 0.1, 1e2,)"
      R"( 18446744073709551616, -0])");
  const auto& values = document.root();
  EXPECT_EQ(values[0].GetInt64(), 9223372036854775807);
  EXPECT_EQ(values[1].GetInt64(), INT64_MIN);
  EXPECT_EQ(values[2].GetUint64(), 18446744073709551615u);
  EXPECT_EQ(values[3].GetDouble(), 0.1);
  EXPECT_TRUE(values[4].IsDouble());
  EXPECT_TRUE(values[5].IsDouble());
  EXPECT_TRUE(values[6].IsInt64());
}

TEST(ReportDocumentTest, KeepsStringsWithNulCharactersWhole) {
  const ReportDocument document(R"(["a\u0000b"])");
  EXPECT_EQ(std::string(document.root()[0].GetString(), document.root()[0].GetStringLength()),
            std::string("a\0b", 3));
}

TEST(ReportDocumentTest, HoldsDocumentsLargerThanItsBuffers) {
  std::string body = "[";
  for (int i = 0; i < 5000; ++i) body += "{\"name\": \"value number " + std::to_string(i) + "\"},";
  body += "null]";
  const ReportDocument document(body);
  EXPECT_EQ(document.root().Size(), 5001u);
  EXPECT_STREQ(document.root()[4999]["name"].GetString(), "value number 4999");
}

}  // namespace
}  // namespace telemetry::collector
