// What the CLI says when something is wrong: each message names the file and line, lists
// the choices or suggests the likely one, and the exit code is 2.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using ::testing::HasSubstr;

namespace {

using telemetry::test::Outcome;

class CliMessagesTest : public ::testing::Test {
 protected:
  fs::path writeConfig(const std::string& yaml) {
    std::ofstream(dir_ / "telemetry.yaml") << yaml;
    return dir_ / "telemetry.yaml";
  }

  Outcome telemetry(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", (dir_ / "telemetry.yaml").string()});
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_, "", {{"DO_NOT_TRACK", "1"}});
  }

  telemetry::test::TempDirectory temp_;
  const fs::path& dir_ = temp_.path();
};

TEST_F(CliMessagesTest, UnknownLogLevelListsTheValidOnes) {
  writeConfig("");
  Outcome r = telemetry({"--log-level", "verbose", "status"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("--log-level must be one of trace, debug, info, warn, error, "
                               "critical, off, not 'verbose'"));
  EXPECT_THAT(telemetry({"--log-level", "debgu", "status"}).err,
              HasSubstr("(did you mean 'debug'?)"));
}

TEST_F(CliMessagesTest, MissingCaFileIsAConfigurationErrorBeforeAnythingIsSent) {
  fs::path config = writeConfig("telemetry:\n  ca-file: collector-ca.pem\n");
  Outcome r = telemetry({"status"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr(config.string() + ":2: 'telemetry.ca-file' cannot be read: '" +
                               (dir_ / "collector-ca.pem").string() + "'"));
}

TEST_F(CliMessagesTest, BusyApiPortNamesTheConfigLine) {
  Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
  fs::path config = writeConfig("product: { name: P }\napi:\n  listen: 127.0.0.1:" +
                                std::to_string(taken.address().port()) + "\n");
  Outcome r = telemetry({"run"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr(config.string() + ":3: api.listen '127.0.0.1:"));
  EXPECT_THAT(r.err, HasSubstr("cannot listen"));
}

TEST_F(CliMessagesTest, MisspeltPluginNameSuggestsTheInstalledOne) {
  writeConfig("plugins:\n  paths: [\"" TELEMETRY_PLUGIN_DIR "\"]\n  enabled: [postgress]\n");
  Outcome r = telemetry({"plugins"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("missing: no usable plugin named 'postgress'"));
  EXPECT_THAT(r.out, HasSubstr("(did you mean 'postgresql'?)"));
  EXPECT_THAT(r.err, HasSubstr("(did you mean 'postgresql'?)"));
}

TEST_F(CliMessagesTest, RefusedEnabledPluginIsListedOnce) {
  fs::create_directory(dir_ / "plugins");
  fs::copy_file(fs::path(TELEMETRY_PLUGIN_DIR) / "jdk.so", dir_ / "plugins/jdk.so");
  fs::permissions(dir_ / "plugins/jdk.so", fs::perms::others_write, fs::perm_options::add);
  writeConfig("plugins:\n  paths: [plugins]\n  enabled: [jdk]\n");
  Outcome r = telemetry({"plugins"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  std::size_t lines = 0;
  for (std::size_t at = r.out.find("\njdk "); at != std::string::npos;
       at = r.out.find("\njdk ", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u) << r.out;
  EXPECT_THAT(r.out, HasSubstr("refused: unsafe"));
}

TEST_F(CliMessagesTest, EmptyObjectsPrintOnOneLine) {
  writeConfig("");
  Outcome r = telemetry({"report"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"commands\": {},\n"));
}

}  // namespace
