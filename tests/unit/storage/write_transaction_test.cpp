// WriteTransaction on SQLite and PostgreSQL: what it commits stays, what it does not commit
// is rolled back, and on PostgreSQL it holds the lock every writer of a store takes.
#include "telemetry/storage/write_transaction.hpp"

#include <stdexcept>

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "backend_store.hpp"

namespace {

using namespace Poco::Data::Keywords;
using telemetry::storage::WriteTransaction;

class WriteTransactionTest : public telemetry::test::BackendStoreTest {
 protected:
  void SetUp() override { *db_.session << "CREATE TABLE rows (n INTEGER)", now; }
  void insertRow() { *db_.session << "INSERT INTO rows (n) VALUES (1)", now; }
};

TEST_P(WriteTransactionTest, CommittedWritesStayAndOtherSessionsSeeThem) {
  {
    WriteTransaction transaction(*db_.session, db_.dialect);
    insertRow();
    transaction.commit();
  }
  auto other = openAnother();
  EXPECT_EQ(rowCount(other, "rows"), 1);
}

TEST_P(WriteTransactionTest, WritesNotCommittedAreRolledBackAtScopeEnd) {
  {
    WriteTransaction transaction(*db_.session, db_.dialect);
    insertRow();
  }
  EXPECT_EQ(rowCount("rows"), 0);
  insertRow();  // the session is usable again, outside any transaction
  auto other = openAnother();
  EXPECT_EQ(rowCount(other, "rows"), 1);
}

TEST_P(WriteTransactionTest, AnExceptionRollsBackWhatWasWrittenBeforeIt) {
  try {
    WriteTransaction transaction(*db_.session, db_.dialect);
    insertRow();
    throw std::runtime_error("the second write failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(rowCount("rows"), 0);
}

TEST_P(WriteTransactionTest, TransactionsFollowEachOtherOnOneSession) {
  for (int i = 0; i < 3; ++i) {
    WriteTransaction transaction(*db_.session, db_.dialect);
    insertRow();
    if (i != 1) transaction.commit();
  }
  EXPECT_EQ(rowCount("rows"), 2);
}

// SQLite's lock is BEGIN IMMEDIATE's own; PostgreSQL's is an advisory lock every writer takes.
class WriteTransactionOnPostgresTest : public WriteTransactionTest {};

TEST_P(WriteTransactionOnPostgresTest, HoldsTheWriteLockUntilItEnds) {
  auto other = openAnother();
  const auto lockIsFree = [&] {
    bool taken = false;
    other.session->begin();
    *other.session << "SELECT pg_try_advisory_xact_lock(7461636574)", into(taken), now;
    other.session->rollback();
    return taken;
  };
  {
    WriteTransaction transaction(*db_.session, db_.dialect);
    EXPECT_FALSE(lockIsFree());
    transaction.commit();
  }
  EXPECT_TRUE(lockIsFree());
}

INSTANTIATE_TEST_SUITE_P(Backends, WriteTransactionTest, ::testing::Values("sqlite", "postgres"));
INSTANTIATE_TEST_SUITE_P(Backends, WriteTransactionOnPostgresTest, ::testing::Values("postgres"));

}  // namespace
