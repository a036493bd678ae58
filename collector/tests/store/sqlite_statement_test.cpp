#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <stdexcept>

#include "store/sqlite_statement.hpp"

namespace telemetry::collector {
namespace {

class SqliteStatementTest : public ::testing::Test {
 protected:
  sqlite3* connection = nullptr;

  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &connection), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(connection, "CREATE TABLE t (k TEXT NOT NULL UNIQUE, n INTEGER)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(connection); }
};

TEST_F(SqliteStatementTest, RunsOnePreparedStatementManyTimes) {
  SqliteStatement insert(connection, "INSERT INTO t (k, n) VALUES (?, ?)");
  SqliteStatement find(connection, "SELECT 1 FROM t WHERE k = ? AND n = ?");
  EXPECT_FALSE(insert.bind(1, "a").bind(2, std::int64_t{1}).run());
  EXPECT_FALSE(insert.bind(1, "b").bind(2, std::int64_t{2}).run());
  EXPECT_TRUE(find.bind(1, "b").bind(2, std::int64_t{2}).run());
  EXPECT_FALSE(find.bind(1, "b").bind(2, std::int64_t{1}).run());
}

TEST_F(SqliteStatementTest, BindsAnEmptyTextAsTextNotNull) {
  SqliteStatement insert(connection, "INSERT INTO t (k, n) VALUES (?, 0)");
  EXPECT_NO_THROW(insert.bind(1, std::string()).run());
  EXPECT_TRUE(SqliteStatement(connection, "SELECT 1 FROM t WHERE k = ''").run());
}

TEST_F(SqliteStatementTest, StaysUsableAfterAViolatedConstraint) {
  SqliteStatement insert(connection, "INSERT INTO t (k, n) VALUES (?, 0)");
  insert.bind(1, "a").run();
  try {
    insert.bind(1, "a").run();
    FAIL() << "a repeated unique key was inserted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("UNIQUE"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(insert.bind(1, "b").run());
}

TEST_F(SqliteStatementTest, RefusesSqlThatDoesNotCompile) {
  EXPECT_THROW(SqliteStatement(connection, "SELECT nothing FROM nowhere"), std::runtime_error);
}

}  // namespace
}  // namespace telemetry::collector
