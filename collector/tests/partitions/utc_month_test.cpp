#include "partitions/utc_month.hpp"

#include <gtest/gtest.h>

namespace telemetry::collector {
namespace {

TEST(UtcMonthTest, FindsTheMonthOfAnInstantInUtc) {
  // 2026-12-31T23:59:59Z and the second after it.
  EXPECT_EQ(UtcMonth::of(1798761599).suffix(), "2026_12");
  EXPECT_EQ(UtcMonth::of(1798761600).suffix(), "2027_01");
  EXPECT_EQ(UtcMonth::of(0).suffix(), "1970_01");
  EXPECT_EQ(UtcMonth::of(-1).suffix(), "1969_12");
}

TEST(UtcMonthTest, SpansItsFirstSecondToTheFirstSecondOfTheNext) {
  const auto december = UtcMonth::of(1798761599);
  EXPECT_EQ(december.start(), 1796083200);  // 2026-12-01T00:00:00Z
  EXPECT_EQ(december.end(), 1798761600);
  const auto february = UtcMonth::of(1709251199);  // 2024-02-29T23:59:59Z, a leap year
  EXPECT_EQ(february.end() - february.start(), 29 * 86400);
}

TEST(UtcMonthTest, StepsAcrossYears) {
  const auto december = UtcMonth::of(1798761599);
  EXPECT_EQ(december.plus(1).suffix(), "2027_01");
  EXPECT_EQ(december.plus(-12).suffix(), "2025_12");
  EXPECT_EQ(december.plus(-23).suffix(), "2025_01");
  EXPECT_EQ(december.plus(-24).suffix(), "2024_12");
  EXPECT_EQ(UtcMonth::of(0).plus(-1).suffix(), "1969_12");
  EXPECT_LT(december, december.plus(1));
}

TEST(UtcMonthTest, ReadsOnlyItsOwnSuffixes) {
  ASSERT_TRUE(UtcMonth::fromSuffix("2026_12").has_value());
  EXPECT_EQ(*UtcMonth::fromSuffix("2026_12"), UtcMonth::of(1798761599));
  for (const char* other : {"", "2026_13", "2026_00", "2026-12", "2026_1", "0999_12", "20261_2",
                            "2026_12 ", "default", "２０２６_12"}) {
    EXPECT_FALSE(UtcMonth::fromSuffix(other).has_value()) << other;
  }
}

TEST(UtcMonthTest, NamesOnlyFourDigitYears) {
  EXPECT_TRUE(UtcMonth::of(0).named());
  EXPECT_FALSE(UtcMonth::of(-62167219200).named());  // year 0
  EXPECT_FALSE(UtcMonth::of(253402300800).named());  // year 10000
}

}  // namespace
}  // namespace telemetry::collector
