#include "api/auth/user_directory.hpp"

#include <dlfcn.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/auth/password_hash.hpp"
#include "telemetry/config_error.hpp"
#include "telemetry/test/captured_warnings.hpp"
#include "telemetry/test/temp_directory.hpp"

// Every PBKDF2 iteration the host asks OpenSSL for, counted on the way through: what a
// verification costs, measured in work rather than in time (the timing is in
// scripts/bench timing). This definition in the test program comes before libcrypto's.
namespace {
std::atomic<std::uint64_t> pbkdf2Iterations{0};
}  // namespace

extern "C" int PKCS5_PBKDF2_HMAC(const char* pass, int passlen, const unsigned char* salt,
                                 int saltlen, int iter, const EVP_MD* digest, int keylen,
                                 unsigned char* out) {
  using Pbkdf2 =
      int (*)(const char*, int, const unsigned char*, int, int, const EVP_MD*, int, unsigned char*);
  static const auto openssl = reinterpret_cast<Pbkdf2>(::dlsym(RTLD_NEXT, "PKCS5_PBKDF2_HMAC"));
  pbkdf2Iterations += static_cast<std::uint64_t>(iter);
  return openssl(pass, passlen, salt, saltlen, iter, digest, keylen, out);
}

namespace fs = std::filesystem;
using telemetry::ConfigError;
using telemetry::api::addOrUpdateUser;
using telemetry::api::ApiUser;
using telemetry::api::hashPassword;
using telemetry::api::kMinPasswordIterations;  // the lowest allowed count keeps the tests quick
using telemetry::api::UserDirectory;
using telemetry::api::verifyPassword;
using telemetry::test::CapturedWarnings;
using telemetry::test::TempDirectory;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

namespace {

const std::string& aliceHash() {
  static const std::string hash = hashPassword("alice-pw", kMinPasswordIterations);
  return hash;
}
const std::string& bobHash() {
  static const std::string hash = hashPassword("bob-pw", kMinPasswordIterations);
  return hash;
}

unsigned modeOf(const fs::path& file) {
  struct stat status {};
  ::stat(file.c_str(), &status);
  return status.st_mode & 07777;
}

std::string readAll(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class UserDirectoryTest : public ::testing::Test {
 protected:
  /// Writes the users file with mode 0600, as `user add` would.
  fs::path writeUsers(const std::string& yaml) const {
    fs::path file = dir_.write("users.yaml", yaml);
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    return file;
  }
  fs::path aliceAndBob() const {
    return writeUsers(
        "users:\n  - name: alice\n    password: " + aliceHash() +
        "\n    groups: [telemetry-admin, usage]\n  - name: bob\n    password: " + bobHash() + "\n");
  }

  TempDirectory dir_;
};

TEST_F(UserDirectoryTest, AuthenticatesAUserWithTheRightPassword) {
  UserDirectory users(aliceAndBob());
  auto alice = users.authenticate("alice", "alice-pw");
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->name, "alice");
  EXPECT_THAT(alice->groups, ElementsAre("telemetry-admin", "usage"));
  EXPECT_TRUE(alice->inGroup("usage"));
  auto bob = users.authenticate("bob", "bob-pw");
  ASSERT_TRUE(bob);
  EXPECT_THAT(bob->groups, IsEmpty());
  EXPECT_FALSE(bob->inGroup("telemetry-admin"));
}

TEST_F(UserDirectoryTest, RefusesAWrongPasswordAndAnotherUsersPassword) {
  UserDirectory users(aliceAndBob());
  EXPECT_FALSE(users.authenticate("alice", "alice-PW"));
  EXPECT_FALSE(users.authenticate("alice", "bob-pw"));
  EXPECT_FALSE(users.authenticate("alice", ""));
}

TEST_F(UserDirectoryTest, RefusesAnUnknownUser) {
  UserDirectory users(aliceAndBob());
  EXPECT_FALSE(users.authenticate("carol", "alice-pw"));
  EXPECT_FALSE(users.authenticate("Alice", "alice-pw"));
  EXPECT_FALSE(users.authenticate("", ""));
}

TEST_F(UserDirectoryTest, MissingFileMeansNobodyAndWarnsOnceHowToAddAUser) {
  CapturedWarnings warnings("telemetry.api");
  UserDirectory users(dir_ / "users.yaml");
  EXPECT_EQ(users.userCount(), 0u);
  EXPECT_FALSE(users.authenticate("admin", "admin"));
  ASSERT_THAT(warnings.texts(), SizeIs(1));
  EXPECT_THAT(warnings.texts()[0], HasSubstr("nobody can log in"));
  EXPECT_THAT(warnings.texts()[0], HasSubstr("telemetry user add"));
}

TEST_F(UserDirectoryTest, UnknownNamesCostAsManyHashIterationsAsWrongPasswords) {
  writeUsers("users:\n  - name: alice\n    password: " + hashPassword("pw", 2000) + "\n");
  UserDirectory users(dir_ / "users.yaml");
  auto iterationsSpent = [&](std::string_view name) {
    const std::uint64_t before = pbkdf2Iterations;
    EXPECT_FALSE(users.authenticate(name, "wrong"));
    return pbkdf2Iterations - before;
  };
  EXPECT_EQ(iterationsSpent("alice"), 2000u);
  EXPECT_EQ(iterationsSpent("mallory"), 2000u) << "an unknown name must cost a verification";
  EXPECT_EQ(iterationsSpent("alice"), 2000u) << "a wrong password is never cached";
}

TEST_F(UserDirectoryTest, ReadsTheFileAgainWhenItChanges) {
  fs::path file = aliceAndBob();
  UserDirectory users(file);
  ASSERT_TRUE(users.authenticate("alice", "alice-pw"));
  writeUsers("users:\n  - name: bob\n    password: " + bobHash() + "\n");
  EXPECT_FALSE(users.authenticate("alice", "alice-pw"));
  EXPECT_TRUE(users.authenticate("bob", "bob-pw"));
  EXPECT_EQ(users.userCount(), 1u);
}

TEST_F(UserDirectoryTest, SeesUsersAddedWithAddOrUpdateUser) {
  UserDirectory users(dir_ / "users.yaml");
  addOrUpdateUser(dir_ / "users.yaml",
                  {"carol", hashPassword("carol-pw", kMinPasswordIterations), {"usage"}});
  auto carol = users.authenticate("carol", "carol-pw");
  ASSERT_TRUE(carol);
  EXPECT_THAT(carol->groups, ElementsAre("usage"));
}

TEST_F(UserDirectoryTest, KeepsThePreviousUsersWhenTheChangedFileIsBad) {
  fs::path file = aliceAndBob();
  UserDirectory users(file);
  writeUsers("users:\n  - name: alice\n    pasword: x\n");
  EXPECT_TRUE(users.authenticate("alice", "alice-pw"));
  EXPECT_EQ(users.userCount(), 2u);
  writeUsers("users:\n  - name: bob\n    password: " + bobHash() + "\n");
  EXPECT_FALSE(users.authenticate("alice", "alice-pw"));
}

TEST_F(UserDirectoryTest, LogsABadChangedFileWithControlCharactersEscaped) {
  fs::path file = aliceAndBob();
  UserDirectory users(file);
  CapturedWarnings log("telemetry.api");
  writeUsers("users:\n  - name: alice\n    \"pas\\e[2J\\nsword\": x\n");
  EXPECT_TRUE(users.authenticate("alice", "alice-pw"));
  const auto errors = log.texts(spdlog::level::err);
  ASSERT_THAT(errors, SizeIs(1));
  EXPECT_THAT(errors[0], HasSubstr(R"(pas\x1b[2J\nsword)"));
  EXPECT_EQ(errors[0].find_first_of("\x1b\n"), std::string::npos) << errors[0];
}

TEST_F(UserDirectoryTest, KeepsThePreviousUsersWhenTheFileBecomesReadableByOthers) {
  fs::path file = aliceAndBob();
  UserDirectory users(file);
  fs::permissions(file, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  EXPECT_TRUE(users.authenticate("alice", "alice-pw"));
}

TEST_F(UserDirectoryTest, ForgetsCachedLoginsWhenThePasswordChanges) {
  fs::path file = aliceAndBob();
  UserDirectory users(file);
  ASSERT_TRUE(users.authenticate("alice", "alice-pw"));
  ASSERT_TRUE(users.authenticate("alice", "alice-pw"));  // now from the cache
  addOrUpdateUser(file, {"alice", hashPassword("new-pw", kMinPasswordIterations), {}});
  EXPECT_FALSE(users.authenticate("alice", "alice-pw"));
  EXPECT_TRUE(users.authenticate("alice", "new-pw"));
}

TEST_F(UserDirectoryTest, CacheDoesNotAcceptAWrongPasswordAfterTheRightOne) {
  UserDirectory users(aliceAndBob());
  ASSERT_TRUE(users.authenticate("alice", "alice-pw"));
  EXPECT_FALSE(users.authenticate("alice", "alice-pw2"));
  EXPECT_FALSE(users.authenticate("alice", "alice-p"));
  EXPECT_FALSE(users.authenticate("bob", "alice-pw"));
  std::string shifted("alice\0alice-pw", 14);  // name and password run together
  EXPECT_FALSE(users.authenticate(shifted, ""));
  EXPECT_FALSE(users.authenticate(std::string("alice\0alice", 11), "pw"));
  EXPECT_TRUE(users.authenticate("alice", "alice-pw"));
}

TEST_F(UserDirectoryTest, AuthenticatesFromEightThreadsAtOnceWhileTheFileChanges) {
  fs::path file = aliceAndBob();
  UserDirectory users(file);
  std::atomic<int> wrongAnswers{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      addOrUpdateUser(
          file, {"carol", hashPassword("carol-" + std::to_string(i), kMinPasswordIterations), {}});
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        bool alice = (i + t) % 2 == 0;
        bool right = (i / 2 + t) % 3 != 0;
        std::string name = alice ? "alice" : "bob";
        std::string password = (alice ? "alice-pw" : "bob-pw") + std::string(right ? "" : "!");
        auto user = users.authenticate(name, password);
        if (user.has_value() != right || (user && user->name != name)) ++wrongAnswers;
        if (user && alice != user->inGroup("usage")) ++wrongAnswers;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  stop = true;
  writer.join();
  EXPECT_EQ(wrongAnswers, 0);
  EXPECT_EQ(users.userCount(), 3u);
}

struct BadFile {
  std::string yaml;
  int line;
  std::string message;
};

void PrintTo(const BadFile& bad, std::ostream* out) { *out << bad.message; }

class BadUsersFileTest : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadUsersFileTest, IsRefusedNamingLineAndField) {
  TempDirectory dir;
  std::string yaml = GetParam().yaml;
  for (const auto& [placeholder, hash] : std::vector<std::pair<std::string, std::string>>{
           {"$ALICE", aliceHash()}, {"$BOB", bobHash()}}) {
    for (auto at = yaml.find(placeholder); at != std::string::npos; at = yaml.find(placeholder)) {
      yaml.replace(at, placeholder.size(), hash);
    }
  }
  fs::path file = dir.write("users.yaml", yaml);
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  try {
    UserDirectory users(file);
    FAIL() << "accepted:\n" << yaml;
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), GetParam().line) << e.what();
    EXPECT_THAT(e.what(), HasSubstr(GetParam().message));
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Variants, BadUsersFileTest,
    ::testing::Values(
        BadFile{"user:\n  - name: alice\n", 1, "unknown key 'user' (did you mean 'users'?)"},
        BadFile{"users:\n  name: alice\n", 2, "'users' must be a list"},
        BadFile{"users:\n  - alice\n", 2, "each entry of 'users' must be a mapping"},
        BadFile{"users:\n  - name: alice\n    pasword: $ALICE\n", 3,
                "unknown key 'pasword' of a user (did you mean 'password'?)"},
        BadFile{"users:\n  - password: $ALICE\n", 2, "a user has no 'name'"},
        BadFile{"users:\n  - name: [alice]\n    password: $ALICE\n", 2, "'name' of a user"},
        BadFile{"users:\n  - name: al:ice\n    password: $ALICE\n", 2, "holds ':'"},
        BadFile{"users:\n  - name: alice\n    groups: [usage]\n", 2,
                "user 'alice' has no 'password'"},
        BadFile{"users:\n  - name: alice\n    password: s3cret\n", 3,
                "'password' of user 'alice' is not a password hash"},
        BadFile{"users:\n  - name: alice\n    password: pbkdf2-sha256$1$AAAA$AAAA\n", 3,
                "'password' of user 'alice' is not a password hash"},
        BadFile{"users:\n  - name: alice\n    password: $ALICE\n  - name: alice\n"
                "    password: $BOB\n",
                4, "user 'alice' is listed twice (first on line 2)"},
        BadFile{"users:\n  - name: alice\n    password: $ALICE\n    groups: telemetry-admin\n", 4,
                "'groups' of user 'alice' must be a list of group names"},
        BadFile{"users:\n  - name: alice\n    password: $ALICE\n    groups:\n      - usage\n"
                "      - {admin: true}\n",
                6, "'groups' of user 'alice' must be a list of group names"},
        BadFile{"users:\n  - name: alice\n    password: $ALICE\n    groups: ['']\n", 4,
                "group '' of user 'alice' is empty"},
        BadFile{"users: [\n", 2, "invalid YAML"}));

class UsersFileModeTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(UsersFileModeTest, IsRefusedWhenGroupOrOthersMayReadOrWriteIt) {
  TempDirectory dir;
  fs::path file = dir.write("users.yaml", "users:\n  - name: alice\n    password: " + aliceHash());
  ::chmod(file.c_str(), GetParam());
  try {
    UserDirectory users(file);
    FAIL() << "accepted mode " << std::oct << GetParam();
  } catch (const ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("readable or writable by group or others"));
    EXPECT_THAT(e.what(), HasSubstr("chmod 600 '" + file.string() + "'"));
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, UsersFileModeTest,
                         ::testing::Values(0644, 0640, 0604, 0620, 0602, 0660, 0666));

TEST_F(UserDirectoryTest, AcceptsAFileOnlyItsOwnerCanRead) {
  fs::path file = aliceAndBob();
  ::chmod(file.c_str(), 0400);
  UserDirectory users(file);
  EXPECT_TRUE(users.authenticate("bob", "bob-pw"));
}

TEST_F(UserDirectoryTest, AnEmptyFileHasNoUsers) {
  UserDirectory users(writeUsers(""));
  EXPECT_EQ(users.userCount(), 0u);
}

TEST_F(UserDirectoryTest, AddOrUpdateUserCreatesTheFileAndItsDirectoryWithMode0600) {
  fs::path file = dir_ / "etc/telemetry/users.yaml";
  addOrUpdateUser(file, {"alice", aliceHash(), {"telemetry-admin"}});
  EXPECT_EQ(modeOf(file), 0600u);
  EXPECT_THAT(readAll(file), HasSubstr("name: alice"));
  EXPECT_TRUE(UserDirectory(file).authenticate("alice", "alice-pw"));
  std::vector<fs::path> left(fs::directory_iterator(file.parent_path()), {});
  EXPECT_THAT(left, ElementsAre(file));  // no temporary file stays behind
}

TEST_F(UserDirectoryTest, AddOrUpdateUserReplacesTheUserAndKeepsTheOthersInOrder) {
  fs::path file = aliceAndBob();
  addOrUpdateUser(file, {"alice", hashPassword("new", kMinPasswordIterations), {"usage"}});
  addOrUpdateUser(file, {"carol", hashPassword("carol-pw", kMinPasswordIterations), {}});
  std::string text = readAll(file);
  EXPECT_LT(text.find("alice"), text.find("bob"));
  EXPECT_LT(text.find("bob"), text.find("carol"));
  UserDirectory users(file);
  EXPECT_EQ(users.userCount(), 3u);
  EXPECT_FALSE(users.authenticate("alice", "alice-pw"));
  auto alice = users.authenticate("alice", "new");
  ASSERT_TRUE(alice);
  EXPECT_THAT(alice->groups, ElementsAre("usage"));
  EXPECT_TRUE(users.authenticate("bob", "bob-pw"));
  EXPECT_TRUE(users.authenticate("carol", "carol-pw"));
}

TEST_F(UserDirectoryTest, AddOrUpdateUserQuotesNamesYamlWouldMisread) {
  fs::path file = dir_ / "users.yaml";
  for (std::string name : {"- dash", "#hash", "yes", "a b", "'quoted'", "ünï", "[x]", "123"}) {
    addOrUpdateUser(file, {name, aliceHash(), {"{group}", "usage"}});
  }
  UserDirectory users(file);
  EXPECT_EQ(users.userCount(), 8u);
  auto odd = users.authenticate("- dash", "alice-pw");
  ASSERT_TRUE(odd);
  EXPECT_THAT(odd->groups, ElementsAre("{group}", "usage"));
  EXPECT_TRUE(users.authenticate("123", "alice-pw"));
}

TEST_F(UserDirectoryTest, AddOrUpdateUserRefusesBadNamesAndHashes) {
  fs::path file = dir_ / "users.yaml";
  EXPECT_THROW(addOrUpdateUser(file, {"a:b", aliceHash(), {}}), std::invalid_argument);
  EXPECT_THROW(addOrUpdateUser(file, {"", aliceHash(), {}}), std::invalid_argument);
  EXPECT_THROW(addOrUpdateUser(file, {"a\nb", aliceHash(), {}}), std::invalid_argument);
  EXPECT_THROW(addOrUpdateUser(file, {"alice", "plain", {}}), std::invalid_argument);
  EXPECT_THROW(addOrUpdateUser(file, {"alice", aliceHash(), {""}}), std::invalid_argument);
  EXPECT_FALSE(fs::exists(file));
}

TEST_F(UserDirectoryTest, AddOrUpdateUserRefusesToRewriteABadFile) {
  fs::path file = writeUsers("users:\n  - name: alice\n    pasword: x\n");
  EXPECT_THROW(addOrUpdateUser(file, {"bob", bobHash(), {}}), ConfigError);
  EXPECT_THAT(readAll(file), HasSubstr("pasword"));
}

}  // namespace
