// SchemaMigrator on SQLite and PostgreSQL: migrations run once each, in order, under one
// transaction that a failing migration rolls back whole; a newer store is refused.
#include "telemetry/storage/schema_migrator.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "backend_store.hpp"

namespace {

using namespace Poco::Data::Keywords;
using telemetry::storage::Migration;
using telemetry::storage::SchemaMigrator;
using telemetry::storage::SqlDialect;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Each migration writes its number into `steps`, which the first one creates: a migration run
// twice or out of order shows in the steps' order.
const Migration kCreateSteps = [](const SqlDialect& dialect) {
  return std::vector<std::string>{
      "CREATE TABLE steps (id " + dialect.autoIncrementKey() + ", step INTEGER NOT NULL)",
      "INSERT INTO steps (step) VALUES (1)"};
};
Migration insertStep(int step) {
  return [step](const SqlDialect&) {
    return std::vector<std::string>{"INSERT INTO steps (step) VALUES (" + std::to_string(step) +
                                    ")"};
  };
}
const Migration kBroken = [](const SqlDialect&) {
  return std::vector<std::string>{"INSERT INTO no_such_table (step) VALUES (0)"};
};

class SchemaMigratorTest : public telemetry::test::BackendStoreTest {
 protected:
  std::vector<int> steps() {
    std::vector<int> out;
    *db_.session << "SELECT step FROM steps ORDER BY id", into(out), now;
    return out;
  }
  std::vector<int> versions() {
    std::vector<int> out;
    *db_.session << "SELECT version FROM schema_migrations ORDER BY version", into(out), now;
    return out;
  }
  /// True when the store has a table named `name` (a SELECT from a missing one throws).
  bool hasTable(const std::string& name) {
    try {
      rowCount(name);
      return true;
    } catch (const Poco::Exception&) {
      return false;
    }
  }
};

TEST_P(SchemaMigratorTest, AppliesEveryMigrationInOrderAndRecordsItsVersion) {
  const SchemaMigrator migrator("test store", {kCreateSteps, insertStep(2), insertStep(3)});
  migrator.migrate(*db_.session, db_.dialect);
  EXPECT_THAT(steps(), ElementsAre(1, 2, 3));
  EXPECT_THAT(versions(), ElementsAre(1, 2, 3));
  EXPECT_EQ(migrator.requireKnownVersion(*db_.session), 3);
}

TEST_P(SchemaMigratorTest, MigratingAgainAppliesNothing) {
  const SchemaMigrator migrator("test store", {kCreateSteps, insertStep(2)});
  migrator.migrate(*db_.session, db_.dialect);
  auto other = openAnother();  // as a second process starting later
  migrator.migrate(*other.session, other.dialect);
  EXPECT_THAT(steps(), ElementsAre(1, 2));
  EXPECT_THAT(versions(), ElementsAre(1, 2));
}

TEST_P(SchemaMigratorTest, AnOlderStoreGetsOnlyTheNewerMigrations) {
  SchemaMigrator("test store", {kCreateSteps}).migrate(*db_.session, db_.dialect);
  int foundVersion = -1;
  SchemaMigrator("test store", {kCreateSteps, insertStep(2), insertStep(3)})
      .migrate(*db_.session, db_.dialect, [&](int version) { foundVersion = version; });
  EXPECT_EQ(foundVersion, 1);
  EXPECT_THAT(steps(), ElementsAre(1, 2, 3));
}

TEST_P(SchemaMigratorTest, TheLastStepSeesVersionZeroOnANewStoreAndRunsInTheTransaction) {
  int foundVersion = -1;
  SchemaMigrator("test store", {kCreateSteps}).migrate(*db_.session, db_.dialect, [&](int v) {
    foundVersion = v;
    *db_.session << "INSERT INTO steps (step) VALUES (10)", now;
  });
  EXPECT_EQ(foundVersion, 0);
  EXPECT_THAT(steps(), ElementsAre(1, 10));
}

TEST_P(SchemaMigratorTest, AFailingMigrationRollsBackTheEarlierOnesOfTheSameRun) {
  const SchemaMigrator broken("test store", {kCreateSteps, insertStep(2), kBroken});
  EXPECT_THROW(broken.migrate(*db_.session, db_.dialect), Poco::Exception);
  EXPECT_FALSE(hasTable("steps")) << "migration 1 outlived the failure of migration 3";
  EXPECT_FALSE(hasTable("schema_migrations"));
  // Fixed, the same store migrates from the start.
  SchemaMigrator("test store", {kCreateSteps, insertStep(2), insertStep(3)})
      .migrate(*db_.session, db_.dialect);
  EXPECT_THAT(steps(), ElementsAre(1, 2, 3));
}

TEST_P(SchemaMigratorTest, AFailingLastStepRollsBackTheMigrations) {
  const SchemaMigrator migrator("test store", {kCreateSteps});
  EXPECT_THROW(migrator.migrate(*db_.session, db_.dialect,
                                [](int) { throw std::runtime_error("first rows failed"); }),
               std::runtime_error);
  EXPECT_FALSE(hasTable("steps"));
}

TEST_P(SchemaMigratorTest, AStoreNewerThanThisBuildIsRefusedAndLeftAlone) {
  SchemaMigrator("test store", {kCreateSteps, insertStep(2)}).migrate(*db_.session, db_.dialect);
  const SchemaMigrator older("test store", {kCreateSteps});
  try {
    older.migrate(*db_.session, db_.dialect);
    FAIL() << "an older build migrated a newer store";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("the test store has schema version 2, newer than this "
                                    "build's 1"));
  }
  EXPECT_THROW(older.requireKnownVersion(*db_.session), std::runtime_error);
  EXPECT_THAT(steps(), ElementsAre(1, 2));
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemaMigratorTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
