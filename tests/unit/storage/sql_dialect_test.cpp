// SqlDialect: one SQL text with '?' placeholders serves SQLite as written and PostgreSQL
// numbered, and its auto-numbered key works on both (against the real servers).
#include "telemetry/storage/sql_dialect.hpp"

#include <vector>

#include <Poco/Data/Session.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backend_store.hpp"

namespace {

using namespace Poco::Data::Keywords;
using telemetry::storage::SqlDialect;
using ::testing::ElementsAre;

TEST(SqlDialectTest, SqliteGetsTheTextAsWritten) {
  const SqlDialect sqlite(false);
  EXPECT_FALSE(sqlite.isPostgres());
  EXPECT_EQ(sqlite.sql("INSERT INTO t (a, b) VALUES (?, ?)"), "INSERT INTO t (a, b) VALUES (?, ?)");
}

TEST(SqlDialectTest, PostgresGetsPlaceholdersNumberedInOrder) {
  const SqlDialect postgres(true);
  EXPECT_TRUE(postgres.isPostgres());
  EXPECT_EQ(postgres.sql("UPDATE t SET a = ?, b = ? WHERE c = ?"),
            "UPDATE t SET a = $1, b = $2 WHERE c = $3");
  EXPECT_EQ(postgres.sql("SELECT 1"), "SELECT 1");
}

class SqlDialectOnServerTest : public telemetry::test::BackendStoreTest {};

TEST_P(SqlDialectOnServerTest, TheAutoNumberedKeyNumbersRowsAndPlaceholdersBind) {
  const SqlDialect& dialect = db_.dialect;
  *db_.session << "CREATE TABLE t (id " + dialect.autoIncrementKey() + ", a TEXT, b INTEGER)", now;
  for (int b : {7, 8}) {
    std::string a = "row";
    *db_.session << dialect.sql("INSERT INTO t (a, b) VALUES (?, ?)"), use(a), use(b), now;
  }
  std::vector<int> ids;
  *db_.session << "SELECT id FROM t ORDER BY id", into(ids), now;
  EXPECT_THAT(ids, ElementsAre(1, 2));
  int b = 0;
  int id = 2;
  *db_.session << dialect.sql("SELECT b FROM t WHERE id = ?"), use(id), into(b), now;
  EXPECT_EQ(b, 8);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlDialectOnServerTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
