#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "java_release.hpp"
#include "telemetry/plugin/testing.hpp"

namespace fs = std::filesystem;
using telemetry::plugin::Result;
using telemetry::plugins::jdk::JavaRelease;

namespace {

/// What the JVM itself says: the java.vendor and java.version system properties.
std::map<std::string, std::string> jvmProperties(const fs::path& home) {
  std::string command = (home / "bin/java").string() + " -XshowSettings:properties -version 2>&1";
  std::map<std::string, std::string> properties;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return properties;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line(buffer);
    auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    auto start = line.find_first_not_of(' ');
    std::string value = line.substr(eq + 3);
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    properties[line.substr(start, eq - start)] = value;
  }
  pclose(pipe);
  return properties;
}

std::vector<fs::path> installedJdks() {
  std::vector<fs::path> homes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/jvm", ec)) {
    if (fs::is_symlink(entry.path(), ec)) continue;  // aliases of a real directory
    if (fs::exists(entry.path() / "bin/java") && fs::exists(entry.path() / "release")) {
      homes.push_back(entry.path());
    }
  }
  return homes;
}

Poco::JSON::Object::Ptr parse(const Result& result) {
  return Poco::JSON::Parser().parse(result.text()).extract<Poco::JSON::Object::Ptr>();
}

class JdkProbeTest : public ::testing::Test {
 protected:
  telemetry::plugin::testing::PluginHarness harness{TELEMETRY_PLUGIN_FILE};
};

TEST_F(JdkProbeTest, ReportsWhatEveryInstalledJvmSaysAboutItself) {
  auto homes = installedJdks();
  ASSERT_FALSE(homes.empty()) << "no JDK with a release file under /usr/lib/jvm";
  for (const fs::path& home : homes) {
    SCOPED_TRACE(home.string());
    auto properties = jvmProperties(home);
    ASSERT_TRUE(properties.count("java.vendor")) << "java did not print its properties";
    Result result = harness.collect(R"({"java-home":")" + home.string() + R"("})");
    ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
    auto section = parse(result);
    EXPECT_EQ(section->getValue<std::string>("vendor"), properties["java.vendor"]);
    EXPECT_EQ(section->getValue<std::string>("version"), properties["java.version"]);
  }
}

TEST_F(JdkProbeTest, WritesVersionBeforeVendorAsTheSpecDoes) {
  auto homes = installedJdks();
  ASSERT_FALSE(homes.empty());
  Result result = harness.collect(R"({"java-home":")" + homes.front().string() + R"("})");
  ASSERT_EQ(result.kind(), Result::Kind::value);
  EXPECT_LT(result.text().find("\"version\""), result.text().find("\"vendor\""));
}

TEST_F(JdkProbeTest, FallsBackToJavaHomeEnvironment) {
  auto homes = installedJdks();
  ASSERT_FALSE(homes.empty());
  setenv("JAVA_HOME", homes.back().c_str(), 1);
  Result result = harness.collect("{}");
  unsetenv("JAVA_HOME");
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(parse(result)->getValue<std::string>("vendor"),
            jvmProperties(homes.back())["java.vendor"]);
}

TEST_F(JdkProbeTest, FailsClearlyForADirectoryWithoutRelease) {
  Result result = harness.collect(R"({"java-home":"/nonexistent/jdk"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("/nonexistent/jdk"), std::string::npos);
}

TEST_F(JdkProbeTest, RejectsAnUnknownSettingNamingIt) {
  Result result = harness.collect(R"({"javahome":"/usr"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'javahome'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'java-home'"), std::string::npos) << result.text();
}

TEST(JavaReleaseTest, ParsesQuotedAndBareValues) {
  auto release = JavaRelease::parse("IMPLEMENTOR=\"Azul Systems, Inc.\"\r\nJAVA_VERSION=11.0.2\n");
  EXPECT_EQ(release.get("IMPLEMENTOR"), "Azul Systems, Inc.");
  EXPECT_EQ(release.get("JAVA_VERSION"), "11.0.2");
  EXPECT_FALSE(release.get("MISSING").has_value());
}

}  // namespace
