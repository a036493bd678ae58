// `telemetry user add` the way operators run it: password on stdin, users file written
// 0600, existing users kept, bad input refused with exit code 2.
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/auth/user_directory.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using telemetry::api::UserDirectory;
using telemetry::test::Outcome;
using telemetry::test::TempDirectory;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace {

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = dir_.write("telemetry.yaml", "api:\n  users-file: secrets/users.yaml\n");
  }

  Outcome userAdd(std::vector<std::string> arguments, const std::string& input) {
    std::vector<std::string> args = {"--config", config_.string(), "user", "add"};
    args.insert(args.end(), arguments.begin(), arguments.end());
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_.path(), input);
  }

  fs::path usersFile() const { return dir_ / "secrets/users.yaml"; }

  TempDirectory dir_;
  fs::path config_;
};

TEST_F(UserCliTest, AddsAUserWithThePasswordFromStdinToAFileOfMode0600) {
  Outcome added = userAdd({"admin", "--group", "telemetry-admin"}, "s3cret pass\n");
  ASSERT_EQ(added.exitCode, 0) << added.err;
  EXPECT_EQ(added.out,
            "user 'admin' saved in " + usersFile().string() + " (groups: telemetry-admin)\n");
  struct stat status {};
  ASSERT_EQ(::stat(usersFile().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0600u);

  std::ifstream in(usersFile());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("pbkdf2-sha256$600000$"));
  EXPECT_THAT(text.str(), Not(HasSubstr("s3cret")));

  auto admin = UserDirectory(usersFile()).authenticate("admin", "s3cret pass");
  ASSERT_TRUE(admin);
  EXPECT_TRUE(admin->inGroup("telemetry-admin"));
}

TEST_F(UserCliTest, ReadsOnlyTheFirstLineWithoutItsCarriageReturn) {
  Outcome added = userAdd({"reader"}, "pw\r\nsecond line\n");
  ASSERT_EQ(added.exitCode, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("(groups: none; it may only read)"));
  auto reader = UserDirectory(usersFile()).authenticate("reader", "pw");
  ASSERT_TRUE(reader);
  EXPECT_THAT(reader->groups, IsEmpty());
}

TEST_F(UserCliTest, UpdatingAUserKeepsTheOthers) {
  ASSERT_EQ(userAdd({"admin", "--group", "telemetry-admin"}, "old\n").exitCode, 0);
  ASSERT_EQ(userAdd({"reader"}, "reader-pw\n").exitCode, 0);
  Outcome updated = userAdd({"admin", "--group", "telemetry-admin", "--group", "usage"}, "new\n");
  ASSERT_EQ(updated.exitCode, 0) << updated.err;
  EXPECT_THAT(updated.out, HasSubstr("(groups: telemetry-admin, usage)"));

  UserDirectory users(usersFile());
  EXPECT_EQ(users.userCount(), 2u);
  EXPECT_FALSE(users.authenticate("admin", "old"));
  auto admin = users.authenticate("admin", "new");
  ASSERT_TRUE(admin);
  EXPECT_TRUE(admin->inGroup("usage"));
  EXPECT_TRUE(users.authenticate("reader", "reader-pw"));
}

TEST_F(UserCliTest, NotesAGroupTheApiDoesNotKnow) {
  Outcome added = userAdd({"ops", "--group", "telemetry-admins"}, "pw\n");
  ASSERT_EQ(added.exitCode, 0) << added.err;
  EXPECT_THAT(added.err, HasSubstr("group 'telemetry-admins' grants nothing"));
}

class BadUserAddTest : public UserCliTest,
                       public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

TEST_P(BadUserAddTest, ExitsWithTwoAndWritesNothing) {
  const auto& [name, input] = GetParam();
  Outcome refused = userAdd({name}, input);
  EXPECT_EQ(refused.exitCode, 2) << refused.out;
  EXPECT_THAT(refused.err, Not(IsEmpty()));
  EXPECT_FALSE(fs::exists(usersFile()));
}

INSTANTIATE_TEST_SUITE_P(Inputs, BadUserAddTest,
                         ::testing::Values(std::pair{"ad:min", "pw\n"}, std::pair{"", "pw\n"},
                                           std::pair{"ad\tmin", "pw\n"}, std::pair{"admin", "\n"},
                                           std::pair{"admin", ""}, std::pair{"admin", "\r\n"}));

TEST_F(UserCliTest, SaysWhyTheNameOrPasswordIsRefused) {
  EXPECT_THAT(userAdd({"ad:min"}, "pw\n").err, HasSubstr("holds ':'"));
  EXPECT_THAT(userAdd({"admin"}, "\n").err, HasSubstr("the password is empty"));
}

TEST_F(UserCliTest, RefusesAUsersFileOthersCanRead) {
  fs::path file = dir_.write("secrets/users.yaml", "users: []\n");
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  Outcome refused = userAdd({"admin"}, "pw\n");
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_THAT(refused.err, HasSubstr("chmod 600"));
}

TEST_F(UserCliTest, NeedsTheAddSubcommand) {
  Outcome bare = telemetry::test::runProgram(TELEMETRY_CLI, {"--config", config_.string(), "user"},
                                             dir_.path());
  EXPECT_EQ(bare.exitCode, 2);
}

}  // namespace
