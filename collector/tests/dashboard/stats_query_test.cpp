#include <gtest/gtest.h>

#include <string>

#include "dashboard/stats_query.hpp"

namespace telemetry::collector {
namespace {

// 2026-12-06 as an epoch day.
constexpr std::int64_t kToday = 20793;

std::string refusal(std::string_view query) {
  try {
    StatsQuery::parse(query, kToday);
  } catch (const StatsQueryError& e) {
    return std::string(e.what());
  }
  return "accepted";
}

std::string blamed(std::string_view query) {
  try {
    StatsQuery::parse(query, kToday);
  } catch (const StatsQueryError& e) {
    return e.parameter();
  }
  return "accepted";
}

TEST(StatsQueryTest, DefaultsToTheLastNinetyDaysOfEverything) {
  const auto filter = StatsQuery::parse("", kToday);
  EXPECT_EQ(filter.version, "");
  EXPECT_EQ(filter.edition, "");
  EXPECT_EQ(filter.toDay, kToday);
  EXPECT_EQ(filter.fromDay, kToday - 89);
  EXPECT_EQ(StatsQuery::formatDay(kToday), "2026-12-06");
}

TEST(StatsQueryTest, ReadsEveryParameterWithFormEncoding) {
  const auto filter = StatsQuery::parse(
      "version=7.14.0%2Bbuild.1&edition=enterprise+plus&from=2026-01-01&to=2026-02-28", kToday);
  EXPECT_EQ(filter.version, "7.14.0+build.1");
  EXPECT_EQ(filter.edition, "enterprise plus");
  EXPECT_EQ(StatsQuery::formatDay(*filter.fromDay), "2026-01-01");
  EXPECT_EQ(StatsQuery::formatDay(*filter.toDay), "2026-02-28");
}

TEST(StatsQueryTest, TakesEmptyValuesAsTheDefaultsAsAFormSendsThem) {
  const auto filter = StatsQuery::parse("version=&edition=&from=&to=", kToday);
  EXPECT_EQ(filter.version, "");
  EXPECT_EQ(filter.toDay, kToday);
  EXPECT_EQ(filter.fromDay, kToday - 89);
  EXPECT_EQ(StatsQuery::parse("version&&to=2026-12-01&", kToday).toDay, kToday - 5);
}

TEST(StatsQueryTest, CountsNinetyDaysBackFromAGivenTo) {
  const auto filter = StatsQuery::parse("to=2026-03-31", kToday);
  EXPECT_EQ(*filter.toDay - *filter.fromDay, 89);
}

TEST(StatsQueryTest, RefusesAnUnknownParameterWithTheNearestKnownOne) {
  EXPECT_EQ(refusal("versoin=7.14.0"),
            "unknown parameter 'versoin' (did you mean 'version'?); known: version, edition, "
            "from, to");
  EXPECT_EQ(blamed("versoin=7.14.0"), "versoin");
  EXPECT_EQ(blamed("Version=7.14.0"), "Version");  // names are case-sensitive, as in the URL
  EXPECT_EQ(blamed("form=2026-01-01"), "form");
  EXPECT_EQ(blamed("t=2026-01-01"), "t");
}

TEST(StatsQueryTest, IgnoresAParameterNoKnownOneIsNear) {
  // Cache-busters and tracking tags worked before there were parameters, and still do.
  const auto filter = StatsQuery::parse("_=1712345678&utm_source=mail&x&=1&_=2&v=3&vers=7", kToday);
  EXPECT_EQ(filter.version, "");
  EXPECT_EQ(filter.toDay, kToday);
  EXPECT_EQ(StatsQuery::parse("edition=community&cachebuster=%FF", kToday).edition, "community");
}

TEST(StatsQueryTest, NeverEchoesAHostileNameIntoTheMessage) {
  const auto message = refusal("%3Cersi%FFn=1");
  EXPECT_EQ(message.find('<'), std::string::npos);
  EXPECT_EQ(message.find('\xff'), std::string::npos);
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.rfind("unknown parameter (did you mean 'version'?)", 0), 0u) << message;
}

TEST(StatsQueryTest, RefusesADuplicatedParameter) {
  EXPECT_EQ(refusal("version=1&version=2"), "'version' is given more than once");
  EXPECT_EQ(refusal("to=&to="), "'to' is given more than once");
}

TEST(StatsQueryTest, RefusesBadDates) {
  for (const char* bad :
       {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026-01-01T00:00",
        "1969-12-31", "２０２６-01-01", "2026/01/01", "+2026-01-0", "tomorrow", "2026-01-32"}) {
    EXPECT_EQ(refusal(std::string("from=") + bad), "'from' is not a date YYYY-MM-DD (1970-9999)")
        << bad;
  }
  EXPECT_EQ(refusal("to=2024-02-30"), "'to' is not a date YYYY-MM-DD (1970-9999)");
  EXPECT_NO_THROW(StatsQuery::parse("from=2024-02-29&to=2024-03-01", kToday));
}

TEST(StatsQueryTest, RefusesFromAfterTo) {
  EXPECT_EQ(refusal("from=2026-02-02&to=2026-02-01"), "'from' is after 'to'");
  EXPECT_EQ(blamed("from=2026-12-07"), "from");  // after today, the default 'to'
}

TEST(StatsQueryTest, RefusesARangeOverFourHundredDays) {
  EXPECT_NO_THROW(StatsQuery::parse("from=2025-01-01&to=2026-02-04", kToday));  // 400 days
  EXPECT_EQ(refusal("from=2025-01-01&to=2026-02-05"), "'from' to 'to' spans more than 400 days");
  EXPECT_EQ(blamed("from=1970-01-01"), "from");
}

TEST(StatsQueryTest, RefusesValuesOverOneHundredBytes) {
  EXPECT_NO_THROW(StatsQuery::parse("version=" + std::string(100, 'x'), kToday));
  EXPECT_EQ(refusal("version=" + std::string(101, 'x')), "'version' is longer than 100 bytes");
  // Counted once decoded: 40 encoded bytes of "%41" are 40 bytes.
  std::string encoded;
  for (int i = 0; i < 40; ++i) encoded += "%41";
  EXPECT_NO_THROW(StatsQuery::parse("edition=" + encoded, kToday));
}

TEST(StatsQueryTest, RefusesNulAndBytesThatAreNotUtf8) {
  EXPECT_EQ(refusal("version=7%00"), "'version' holds a NUL byte");
  EXPECT_EQ(refusal(std::string("version=7\0", 10)), "'version' holds a NUL byte");
  for (const char* bad :
       {"%FF", "%C0%AF", "%ED%A0%80", "%E2%82", "%F4%90%80%80", "\xc3", "%F2", "x%F0%9F"}) {
    EXPECT_EQ(refusal(std::string("edition=") + bad), "'edition' is not valid UTF-8") << bad;
  }
  EXPECT_EQ(StatsQuery::parse("edition=%C3%A9dition", kToday).edition,
            "\xc3\xa9"
            "dition");
}

TEST(StatsQueryTest, RefusesBrokenPercentEncoding) {
  for (const char* bad : {"version=%", "version=%4", "version=%G1", "version=a%zz"}) {
    EXPECT_EQ(refusal(bad), "'version' has a broken percent-encoding (% needs two hex digits)")
        << bad;
  }
  EXPECT_EQ(blamed("ver%sion=1"), "ver%sion");
}

TEST(StatsQueryTest, RefusesAnOverlongQueryString) {
  EXPECT_EQ(refusal(std::string(4097, '&')), "the query string is longer than 4096 bytes");
}

TEST(StatsQueryTest, FormatsAFilterThatParsesBackTheSame) {
  StatsFilter filter;
  filter.version = "7.14.0+b & c=d%#?";
  filter.edition = "ünïcode";
  filter.fromDay = kToday - 10;
  filter.toDay = kToday - 1;
  const auto query = StatsQuery::format(filter);
  const auto back = StatsQuery::parse(query, kToday);
  EXPECT_EQ(back.version, filter.version) << query;
  EXPECT_EQ(back.edition, filter.edition);
  EXPECT_EQ(back.fromDay, filter.fromDay);
  EXPECT_EQ(back.toDay, filter.toDay);
  EXPECT_EQ(StatsQuery::format(StatsFilter{}), "");
}

}  // namespace
}  // namespace telemetry::collector
