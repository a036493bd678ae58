#include "sql/postgres_copy.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sql/poco_sql_runner.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/store_location.hpp"

namespace telemetry::collector {
namespace {

std::string field(const SqlValue& value) {
  std::string out;
  PostgresCopy::appendField(out, value);
  return out;
}

TEST(PostgresCopyFieldTest, EscapesWhatTheTextFormatReadsAsSyntax) {
  EXPECT_EQ(field(std::string("a\tb\nc\rd\\e")), "a\\tb\\nc\\rd\\\\e");
  EXPECT_EQ(field(std::string("\\N")), "\\\\N");  // the text, not NULL
  EXPECT_EQ(field(std::string("plain text, 'quoted' \"twice\"")), "plain text, 'quoted' \"twice\"");
}

TEST(PostgresCopyFieldTest, WritesNullNumbersAndUtf8AsTheyAre) {
  EXPECT_EQ(field(std::monostate{}), "\\N");
  EXPECT_EQ(field(std::int64_t{-9223372036854775807 - 1}), "-9223372036854775808");
  EXPECT_EQ(field(std::string("\xc3\xa9t\xc3\xa9 \xf0\x9f\x93\x88")),
            "\xc3\xa9t\xc3\xa9 \xf0\x9f\x93\x88");
  EXPECT_EQ(field(std::string()), "");
}

// PostgreSQL's text has no NUL: the value ends there, as libpq's bound parameters do.
TEST(PostgresCopyFieldTest, EndsAValueAtItsFirstNul) {
  EXPECT_EQ(field(std::string("jdk\0tail\tmore", 13)), "jdk");
}

TEST(PostgresCopyFieldTest, RefusesASessionOtherThanPostgreSQL) {
  auto database = storage::openDatabase(std::string(storage::kInMemory));
  EXPECT_THROW(PostgresCopy copy(*database.session), std::invalid_argument);
}

// On the `postgres` fixture's server, a database of its own.
class PostgresCopyTest : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("postgres-copy-test-" + std::to_string(::getpid()));
  telemetry::test::StoreLocation location{"postgres", dir};
  storage::Database database = storage::openDatabase(location.location());
  PocoSqlRunner runner{*database.session, database.dialect};

  void SetUp() override {
    runner.execute(
        "CREATE TABLE copied (id BIGSERIAL PRIMARY KEY, number BIGINT, words TEXT,"
        " maybe TEXT, UNIQUE (number))",
        {});
  }
};

TEST_F(PostgresCopyTest, StoresEveryRowInOrderWithItsBytes) {
  std::vector<SqlRow> rows;
  // More than one piece of sending: about 3 MiB.
  for (std::int64_t i = 0; i < 12000; ++i) {
    rows.push_back(
        {i, std::string("row ") + std::to_string(i) + " \t\\\n\r\xc3\xa9" + std::string(250, 'x'),
         i % 2 ? SqlValue{std::monostate{}} : SqlValue{std::string("\\N")}});
  }
  PostgresCopy(*database.session).copy("COPY copied (number, words, maybe) FROM STDIN", rows);

  const auto stored =
      runner.query("SELECT number, words, maybe IS NULL, maybe FROM copied ORDER BY id", {});
  ASSERT_EQ(stored.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(stored[i][0], rows[i][0]) << "row " << i;
    ASSERT_EQ(stored[i][1], rows[i][1]) << "row " << i;
    ASSERT_EQ(SqlRunner::integer(stored[i][2]) != 0, i % 2 == 1) << "row " << i;
    if (i % 2 == 0) {
      ASSERT_EQ(SqlRunner::text(stored[i][3]), "\\N") << "row " << i;
    }
  }
}

TEST_F(PostgresCopyTest, StoresNothingForNoRows) {
  PostgresCopy(*database.session).copy("COPY copied (number, words, maybe) FROM STDIN", {});
  EXPECT_EQ(SqlRunner::integer(runner.query("SELECT COUNT(*) FROM copied", {}).front()[0]), 0);
}

// As an INSERT would: the statement fails with PostgreSQL's reason, and the connection takes
// the rollback and the next statement.
TEST_F(PostgresCopyTest, FailsWholeOnARefusedRowAndLeavesTheConnectionUsable) {
  PostgresCopy copy(*database.session);
  database.session->begin();
  try {
    copy.copy("COPY copied (number, words, maybe) FROM STDIN",
              {{std::int64_t{1}, std::string("a"), std::string("b")},
               {std::int64_t{1}, std::string("again"), std::string("b")}});
    FAIL() << "a duplicate key was copied";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos) << e.what();
  }
  database.session->rollback();
  EXPECT_THROW(copy.copy("COPY nowhere (number) FROM STDIN", {{std::int64_t{1}}}),
               std::runtime_error);
  copy.copy("COPY copied (number, words, maybe) FROM STDIN",
            {{std::int64_t{2}, std::string("kept"), std::monostate{}}});
  const auto stored = runner.query("SELECT number, words FROM copied", {});
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(SqlRunner::text(stored.front()[1]), "kept");
}

TEST_F(PostgresCopyTest, RefusesAWrongTypeWithPostgreSQLsReason) {
  try {
    PostgresCopy(*database.session)
        .copy("COPY copied (number) FROM STDIN", {{std::string("not a number")}});
    FAIL() << "text was copied into a BIGINT column";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bigint"), std::string::npos) << e.what();
  }
  EXPECT_EQ(SqlRunner::integer(runner.query("SELECT COUNT(*) FROM copied", {}).front()[0]), 0);
}

}  // namespace
}  // namespace telemetry::collector
