// The state store's file as an operator meets it: created private, never created by a
// read-only command, and refused at once, by name and with what to do, when it can't be a
// store (a directory, garbage, an empty file, a lost table): never silently started over.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/storage/database.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

using telemetry::test::Outcome;

class StateFileCliTest : public ::testing::Test {
 protected:
  void SetUp() override { ::umask(022); }  // what a default shell has: 0644 unless we say

  Outcome telemetry(std::vector<std::string> args) {
    // No $TELEMETRY_CONFIG from outside: the directory decides.
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_, "", {{"TELEMETRY_CONFIG", ""}});
  }

  /// A config whose state.path is `store` in the test directory.
  std::string configFor(const std::string& store) {
    std::ofstream(dir_ / "telemetry.yaml") << "state:\n  path: " << store << "\n";
    return (dir_ / "telemetry.yaml").string();
  }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    return names;
  }

  static fs::perms permissions(const fs::path& file) {
    return fs::status(file).permissions() & fs::perms::mask;
  }

  /// Every command that opens the store refuses it with exit 2, naming the file.
  void expectRefused(const fs::path& store, const std::string& problem) {
    const std::string config = configFor(store.filename().string());
    for (std::vector<std::string> command : {std::vector<std::string>{"status"},
                                             {"report"},
                                             {"report", "--initial"},
                                             {"enable"},
                                             {"send"},
                                             {"usage", "command", "Cmd"},
                                             {"license", "clear"}}) {
      command.insert(command.begin(), {"--config", config});
      Outcome r = telemetry(command);
      EXPECT_EQ(r.exitCode, 2) << command.back() << ": " << r.err;
      EXPECT_THAT(r.err, HasSubstr(store.string() + ": the state store " + problem))
          << command.back();
      EXPECT_THAT(r.out, IsEmpty()) << command.back();
    }
  }

  telemetry::test::TempDirectory temp_;
  const fs::path& dir_ = temp_.path();
};

TEST_F(StateFileCliTest, ReadOnlyCommandsInADirectoryWithoutConfigCreateNothing) {
  if (fs::exists("/etc/telemetry/telemetry.yaml")) GTEST_SKIP() << "this machine has a config";
  for (std::vector<std::string> command : {std::vector<std::string>{"status"},
                                           {"status", "--json"},
                                           {"report"},
                                           {"report", "--initial"},
                                           {"plugins"},
                                           {"plugins", "--json"},
                                           {"license", "clear"}}) {
    Outcome r = telemetry(command);
    EXPECT_EQ(r.exitCode, 0) << command.front() << ": " << r.err;
    EXPECT_THAT(entries(), IsEmpty()) << command.front() << " created a file";
  }
}

TEST_F(StateFileCliTest, StatusWithoutAStoreSaysSoInsteadOfShowingAnInstallation) {
  Outcome text = telemetry({"status"});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("installation:        none yet\n"));
  EXPECT_THAT(text.out, HasSubstr("telemetry-state.db (does not exist yet"));
  Outcome json = telemetry({"status", "--json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  auto status = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_TRUE(status->isNull("installation"));
  EXPECT_FALSE(status->getValue<bool>("state-exists"));
  Outcome report = telemetry({"report", "--initial"});
  EXPECT_THAT(report.err, HasSubstr("no state store at telemetry-state.db yet"));
}

TEST_F(StateFileCliTest, LicenseClearWithNothingStoredDoesNotClaimToRemoveAKey) {
  const std::string config = configFor("state.db");
  ASSERT_EQ(telemetry({"--config", config, "enable"}).exitCode, 0);
  Outcome r = telemetry({"--config", config, "license", "clear"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no license key is stored; nothing to remove"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("removed")));
}

TEST_F(StateFileCliTest, ANewStoreIsPrivateAndSoIsItsJournal) {
  const std::string config = configFor("state/telemetry.db");
  ASSERT_EQ(telemetry({"--config", config, "enable"}).exitCode, 0);
  EXPECT_EQ(permissions(dir_ / "state/telemetry.db"),
            fs::perms::owner_read | fs::perms::owner_write);
  // SQLite gives -wal and -shm the main file's mode: what the collector's WAL store gets.
  {
    auto db = telemetry::storage::openDatabase((dir_ / "state/telemetry.db").string());
    *db.session << "PRAGMA journal_mode=WAL", Poco::Data::Keywords::now;
    *db.session << "CREATE TABLE wal_probe (x INTEGER)", Poco::Data::Keywords::now;
    for (const char* suffix : {"-wal", "-shm"}) {
      const fs::path file = dir_ / ("state/telemetry.db" + std::string(suffix));
      ASSERT_TRUE(fs::exists(file)) << file;
      EXPECT_EQ(permissions(file), fs::perms::owner_read | fs::perms::owner_write) << file;
    }
  }
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir_ / "state")) {
    left.push_back(entry.path().filename().string());
  }
  EXPECT_THAT(left, ::testing::Each(::testing::StartsWith("telemetry.db"))) << "temporary files";
}

TEST_F(StateFileCliTest, ADirectoryIsRefusedAtOnceWithWhatToDo) {
  fs::create_directory(dir_ / "store");
  expectRefused(dir_ / "store", "is a directory, not a store file; point state.path at a file");
}

TEST_F(StateFileCliTest, GarbageIsRefusedAndKept) {
  std::ofstream(dir_ / "store.db") << std::string(5000, '\x5a');
  expectRefused(dir_ / "store.db",
                "is not an SQLite database or is damaged (file is not a "
                "database); restore it from a backup");
  EXPECT_EQ(fs::file_size(dir_ / "store.db"), 5000u);
}

TEST_F(StateFileCliTest, AnEmptyStoreNeverBecomesANewInstallation) {
  std::ofstream(dir_ / "store.db").close();
  expectRefused(dir_ / "store.db", "is empty (0 bytes)");
  EXPECT_EQ(fs::file_size(dir_ / "store.db"), 0u);
}

TEST_F(StateFileCliTest, AStoreThatLostItsTableIsRefused) {
  const std::string config = configFor("store.db");
  ASSERT_EQ(telemetry({"--config", config, "disable"}).exitCode, 0);
  *telemetry::storage::openDatabase((dir_ / "store.db").string()).session
      << "DROP TABLE installation",
      Poco::Data::Keywords::now;
  expectRefused(dir_ / "store.db", "is damaged (no such table: installation); restore it");
}

TEST_F(StateFileCliTest, AStoreThatLostItsInstallationIsNotStartedOver) {
  const std::string config = configFor("store.db");
  ASSERT_EQ(telemetry({"--config", config, "disable"}).exitCode, 0);
  *telemetry::storage::openDatabase((dir_ / "store.db").string()).session
      << "DELETE FROM installation",
      Poco::Data::Keywords::now;
  expectRefused(dir_ / "store.db", "is damaged (its installation is gone); restore it");
}

}  // namespace
