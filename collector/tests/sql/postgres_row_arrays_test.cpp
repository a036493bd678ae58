#include "sql/postgres_row_arrays.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sql/poco_sql_runner.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/store_location.hpp"

namespace telemetry::collector {
namespace {

std::vector<SqlRow> column(const std::vector<SqlValue>& values) {
  std::vector<SqlRow> rows;
  for (const auto& value : values) rows.push_back({value});
  return rows;
}

TEST(PostgresRowArraysTest, QuotesEveryTextAndEscapesQuotesAndBackslashes) {
  EXPECT_EQ(PostgresRowArrays::literal(
                column({std::string("a,b"), std::string("say \"hi\""), std::string("c:\\dir"),
                        std::string(""), std::string("NULL"), std::string(" {x} ")}),
                0),
            R"({"a,b","say \"hi\"","c:\\dir","","NULL"," {x} "})");
}

TEST(PostgresRowArraysTest, WritesNumbersAndNullsBare) {
  EXPECT_EQ(PostgresRowArrays::literal(
                column({std::int64_t{-1}, std::monostate{}, std::int64_t{9007199254740993}}), 0),
            "{-1,NULL,9007199254740993}");
  EXPECT_EQ(PostgresRowArrays::literal({}, 0), "{}");
}

TEST(PostgresRowArraysTest, EndsATextAtItsFirstNul) {
  EXPECT_EQ(PostgresRowArrays::literal(column({std::string("jdk\0\"tail", 9)}), 0), R"({"jdk"})");
}

TEST(PostgresRowArraysTest, BindsValuesAsOneArrayPerColumnAroundThePlainParameters) {
  const auto bound = PostgresRowArrays::bind(
      "INSERT INTO t (a, b) VALUES ?* ON CONFLICT (a) DO UPDATE SET b = ?", {std::int64_t{7}},
      {{std::string("x"), std::int64_t{1}}, {std::string("y"), std::int64_t{2}}});
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(bound->sql,
            "INSERT INTO t (a, b) SELECT * FROM unnest(CAST(? AS TEXT[]), CAST(? AS BIGINT[]))"
            " ON CONFLICT (a) DO UPDATE SET b = ?");
  EXPECT_EQ(bound->params, (std::vector<SqlValue>{std::string(R"({"x","y"})"), std::string("{1,2}"),
                                                  std::int64_t{7}}));
}

TEST(PostgresRowArraysTest, BindsAnInListAsAnyOfOneArray) {
  const auto bound = PostgresRowArrays::bind(
      "SELECT a FROM t WHERE day = ? AND a IN (?*) AND b >= ?", {std::int64_t{3}, std::int64_t{4}},
      column({std::string("x"), std::string("y")}));
  ASSERT_TRUE(bound.has_value());
  EXPECT_EQ(bound->sql, "SELECT a FROM t WHERE day = ? AND a = ANY(CAST(? AS TEXT[])) AND b >= ?");
  EXPECT_EQ(bound->params,
            (std::vector<SqlValue>{std::int64_t{3}, std::string(R"({"x","y"})"), std::int64_t{4}}));
}

TEST(PostgresRowArraysTest, LeavesOtherSqlAndNoRowsToSqlRunner) {
  EXPECT_FALSE(PostgresRowArrays::bind("SELECT 1", {}, column({std::string("x")})));
  EXPECT_FALSE(PostgresRowArrays::bind("INSERT INTO t (a) VALUES ?*", {}, {}));
  EXPECT_FALSE(
      PostgresRowArrays::bind("SELECT 1 WHERE a NOT IN (?*)", {}, column({std::string("x")})));
  // A row-valued IN list has no one-array form.
  EXPECT_FALSE(PostgresRowArrays::bind("SELECT 1 WHERE (a, b) IN (?*)", {},
                                       {{std::string("x"), std::string("y")}}));
}

TEST(PostgresRowArraysTest, RefusesMixedColumnsAndUnevenRows) {
  EXPECT_THROW(PostgresRowArrays::bind("INSERT INTO t (a) VALUES ?*", {},
                                       column({std::string("x"), std::int64_t{1}})),
               std::invalid_argument);
  EXPECT_THROW(PostgresRowArrays::bind("INSERT INTO t (a, b) VALUES ?*", {},
                                       {{std::string("x"), std::string("y")}, {std::string("z")}}),
               std::invalid_argument);
}

// Through PocoSqlRunner on the `postgres` fixture's server: what goes in comes back.
class PostgresRowArraysStoreTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("postgres-row-arrays-test-" + std::to_string(::getpid()));
  telemetry::test::StoreLocation location{"postgres", dir};
  storage::Database database = storage::openDatabase(location.location());
  PocoSqlRunner runner{*database.session, database.dialect};

  void SetUp() override {
    runner.execute("CREATE TABLE t (id BIGSERIAL, word TEXT PRIMARY KEY, number INTEGER)", {});
  }
};

TEST_F(PostgresRowArraysStoreTest, StoresAndFindsEveryTextAsItWas) {
  std::vector<SqlRow> rows;
  const std::vector<std::string> hard = {
      "a,b",         "say \"hi\"",        "c:\\dir\\", "",   "NULL", " {x} ", "tab\there",
      "line\nbreak", "\xc3\xa9t\xc3\xa9", "'single'",  "}{", "\\\"", "?",     "$1"};
  for (std::size_t i = 0; i < hard.size(); ++i)
    rows.push_back({hard[i], static_cast<std::int64_t>(i)});
  // More rows than one statement of bound parameters took (7,000).
  for (std::int64_t i = 0; i < 9000; ++i) rows.push_back({"word " + std::to_string(i), i});
  runner.executeEach("INSERT INTO t (word, number) VALUES ?* ON CONFLICT (word) DO NOTHING", {},
                     rows);

  const auto stored = runner.query("SELECT word, number FROM t ORDER BY id", {});
  ASSERT_EQ(stored.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(stored[i][0], rows[i][0]) << "row " << i;
    ASSERT_EQ(SqlRunner::integer(stored[i][1]), SqlRunner::integer(rows[i][1])) << "row " << i;
  }
  std::set<std::string> wanted(hard.begin(), hard.end());
  wanted.insert("not stored");
  std::set<std::string> found;
  for (const auto& row : runner.queryEach("SELECT word FROM t WHERE number >= ? AND word IN (?*)",
                                          {std::int64_t{0}}, SqlRunner::rowsOf(wanted)))
    found.insert(SqlRunner::text(row[0]));
  EXPECT_EQ(found, std::set<std::string>(hard.begin(), hard.end()));
}

}  // namespace
}  // namespace telemetry::collector
