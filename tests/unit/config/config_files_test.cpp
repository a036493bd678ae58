// Keys that name a file the host needs later are checked when the configuration is read,
// so a typo is exit 2 with `file:line` at once instead of a failure hours later.
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/config_loader.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace {

using telemetry::ConfigError;
using ::testing::HasSubstr;

class ConfigFilesTest : public ::testing::Test {
 protected:
  /// The message of the ConfigError loading `yaml` from the test directory raises, or "".
  std::string errorOf(const std::string& yaml) {
    std::ofstream(dir_ / "telemetry.yaml") << yaml;
    try {
      telemetry::loadConfig(dir_ / "telemetry.yaml");
    } catch (const ConfigError& e) {
      return e.what();
    }
    return {};
  }

  telemetry::test::TempDirectory dir_;
};

TEST_F(ConfigFilesTest, CaFileIsFoundBesideTheConfig) {
  std::ofstream(dir_ / "ca.pem") << "-----BEGIN CERTIFICATE-----\n";
  std::ofstream(dir_ / "telemetry.yaml") << "telemetry:\n  ca-file: ca.pem\n";
  EXPECT_EQ(telemetry::loadConfig(dir_ / "telemetry.yaml").telemetry.caFile,
            (dir_ / "ca.pem").string());
}

TEST_F(ConfigFilesTest, MissingCaFileIsAnErrorAtLoadNamingFileAndLine) {
  EXPECT_EQ(errorOf("product: { name: P }\ntelemetry:\n  ca-file: missing.pem\n"),
            (dir_ / "telemetry.yaml").string() + ":3: 'telemetry.ca-file' cannot be read: '" +
                (dir_ / "missing.pem").string() + "' (No such file or directory)");
}

TEST_F(ConfigFilesTest, CaFileThatIsADirectoryIsAnError) {
  EXPECT_THAT(errorOf("telemetry: { ca-file: . }"),
              HasSubstr(":1: 'telemetry.ca-file' must be a PEM file, not the directory"));
}

}  // namespace
