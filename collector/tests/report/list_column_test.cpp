#include <gtest/gtest.h>

#include "report/list_column.hpp"

namespace telemetry::collector {
namespace {

using Items = std::vector<std::string>;

TEST(ListColumnTest, KeepsCommasAndBackslashesInsideAName) {
  std::string column;
  for (const char* item : {"cockpit,admin", "a\\b", "c\\", "tasklist"}) {
    ListColumn::append(column, item);
  }
  EXPECT_EQ(column, "cockpit\\,admin,a\\\\b,c\\\\,tasklist");
  EXPECT_EQ(ListColumn::split(column), (Items{"cockpit,admin", "a\\b", "c\\", "tasklist"}));
}

TEST(ListColumnTest, SplitsAColumnWrittenBeforeTheEscapingAtEveryComma) {
  EXPECT_EQ(ListColumn::split("cockpit,admin"), (Items{"cockpit", "admin"}));
  EXPECT_EQ(ListColumn::split(""), Items{});
  EXPECT_EQ(ListColumn::split(",a,,b,"), (Items{"a", "b"}));
}

}  // namespace
}  // namespace telemetry::collector
