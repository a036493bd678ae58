#include "report/utf8_text.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace std::string_literals;
using telemetry::firstTextFault;
using telemetry::isAcceptedText;
using telemetry::isValidUtf8;
using telemetry::textProblem;
using telemetry::toValidUtf8;

namespace {

TEST(Utf8TextTest, AcceptsEveryWellFormedSequenceLength) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain ASCII ~"));
  EXPECT_TRUE(isValidUtf8("\xc2\x80 \xdf\xbf"));                       // U+0080, U+07FF
  EXPECT_TRUE(isValidUtf8("\xe0\xa0\x80 \xed\x9f\xbf \xef\xbf\xbf"));  // U+0800, U+D7FF, U+FFFF
  EXPECT_TRUE(isValidUtf8("\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf"));       // U+10000, U+10FFFF
  EXPECT_TRUE(isValidUtf8("Grüße € 𝄞"));
}

TEST(Utf8TextTest, RefusesWhatStrictDecodersRefuse) {
  for (const std::string& bad :
       {"\xff"s, "\xfe"s, "\x80"s, "a\xbf"s, "\xc0\x80"s, "\xc1\xbf"s,  // stray, overlong NUL
        "\xe0\x80\x80"s, "\xe0\x9f\xbf"s, "\xf0\x80\x80\x80"s, "\xf0\x8f\xbf\xbf"s,  // overlong
        "\xed\xa0\x80"s, "\xed\xbf\xbf"s,                                            // surrogates
        "\xf4\x90\x80\x80"s, "\xf5\x80\x80\x80"s,                   // above U+10FFFF
        "\xc3"s, "\xe2\x82"s, "\xf0\x9f\x98"s, "\xe2\x28\xa1"s}) {  // cut short, bad continuation
    EXPECT_FALSE(isValidUtf8(bad)) << testing::PrintToString(bad);
    EXPECT_FALSE(isAcceptedText(bad));
  }
}

TEST(Utf8TextTest, NulIsValidUtf8ButNotAcceptedText) {
  EXPECT_TRUE(isValidUtf8("a\0b"s));
  EXPECT_FALSE(isAcceptedText("a\0b"s));
  EXPECT_EQ(firstTextFault("a\0b"s), 1u);
  EXPECT_EQ(textProblem("a\0b"s), "holds a NUL character (at byte 1)");
}

TEST(Utf8TextTest, TheProblemNamesTheByteAndWhereItIs) {
  EXPECT_EQ(textProblem("Bad\xffName"), "is not valid UTF-8 (byte 0xFF at offset 3)");
  EXPECT_EQ(firstTextFault("ok \xe2\x82\xac \xc3("), 7u);
  EXPECT_EQ(textProblem("fine €"), std::nullopt);
}

TEST(Utf8TextTest, ReplacingGivesValidTextAndKeepsWhatWasValid) {
  EXPECT_EQ(toValidUtf8("a\xff"
                        "b\xe2\x82\xac\xed\xa0\x80"),
            "a\xef\xbf\xbd"
            "b\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(toValidUtf8("unchanged €"), "unchanged €");
}

}  // namespace

namespace {

TEST(Utf8TextTest, FindsOnlyRealEscapedNulsInJsonText) {
  using telemetry::firstEscapedNul;
  EXPECT_EQ(firstEscapedNul(R"({"a\u0000b":1})"), 3u);
  EXPECT_EQ(firstEscapedNul(R"({"a\\u0000b":1})"), std::nullopt) << "an escaped backslash";
  EXPECT_EQ(firstEscapedNul(R"({"a\\\u0000":1})"), 5u);
  EXPECT_EQ(firstEscapedNul(R"(["\u00001"])"), 2u);
  EXPECT_EQ(firstEscapedNul(R"(["\u0001"])"), std::nullopt);
}

}  // namespace
