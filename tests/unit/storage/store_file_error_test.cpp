// StoreFileError as openDatabase raises it: the message names the file first, and its kind
// tells the owner whether only a backup helps.
#include "telemetry/storage/store_file_error.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "telemetry/storage/database.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace {

using telemetry::storage::openDatabase;
using telemetry::storage::StoreFileError;

/// The StoreFileError opening `file` raises; fails the test if it raises none.
StoreFileError openingFails(const std::filesystem::path& file) {
  try {
    openDatabase(file.string());
  } catch (const StoreFileError& e) {
    return e;
  }
  ADD_FAILURE() << file << " opened as a store";
  return StoreFileError(file, "opened", StoreFileError::Kind::unusable);
}

TEST(StoreFileErrorTest, TheMessageIsTheFileThenTheProblem) {
  const StoreFileError error("/var/lib/telemetry/state.db", "is empty",
                             StoreFileError::Kind::damaged);
  EXPECT_STREQ(error.what(), "/var/lib/telemetry/state.db is empty");
  EXPECT_EQ(error.file(), "/var/lib/telemetry/state.db");
  EXPECT_EQ(error.problem(), "is empty");
  EXPECT_EQ(error.kind(), StoreFileError::Kind::damaged);
}

TEST(StoreFileErrorTest, ADirectoryIsNoStoreFile) {
  const telemetry::test::TempDirectory dir;
  const StoreFileError error = openingFails(dir.path());
  EXPECT_EQ(error.kind(), StoreFileError::Kind::directory);
  EXPECT_EQ(error.file(), dir.path());
}

TEST(StoreFileErrorTest, AnEmptyOrForeignFileIsDamaged) {
  const telemetry::test::TempDirectory dir;
  std::ofstream(dir / "empty.db").close();
  std::ofstream(dir / "text.db") << "not a database, but long enough to look like a header page";
  for (const char* name : {"empty.db", "text.db"}) {
    const StoreFileError error = openingFails(dir / name);
    EXPECT_EQ(error.kind(), StoreFileError::Kind::damaged) << name;
    EXPECT_EQ(error.file(), dir / name);
  }
}

}  // namespace
