// A fresh store for each test on every backend storage/ serves (an SQLite file, a new
// database on the postgres fixture), opened as a store's owner opens it.
#pragma once

#include <string>

#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "telemetry/storage/database.hpp"
#include "telemetry/test/store_location.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace telemetry::test {

class BackendStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  /// Another session on the same store, as a second process would have.
  storage::Database openAnother() const { return storage::openDatabase(store_.location()); }

  /// The rows of `table`, counted by `database` (default: the test's own session).
  int rowCount(const std::string& table) { return rowCount(db_, table); }
  static int rowCount(storage::Database& database, const std::string& table) {
    int rows = 0;
    *database.session << "SELECT COUNT(*) FROM " + table, Poco::Data::Keywords::into(rows),
        Poco::Data::Keywords::now;
    return rows;
  }

  TempDirectory dir_;
  StoreLocation store_{GetParam(), dir_.path()};
  storage::Database db_ = storage::openDatabase(store_.location());
};

}  // namespace telemetry::test
