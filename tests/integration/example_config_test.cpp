// `telemetry report` with the shipped example configuration on this machine: each probe
// section it promises comes out, filled from the real Debian files it names, and the
// report matches the schema.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/plugins/testing/command_output.hpp"
#include "telemetry/plugins/testing/zip_builder.hpp"
#include "telemetry/test/report_reading.hpp"
#include "telemetry/test/report_schema.hpp"
#include "telemetry/test/skip_or_fail_in_ci.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using telemetry::test::Outcome;
using ::testing::ElementsAre;

namespace {

// What config/telemetry.yaml points at, and the Debian package that installs it.
struct DebianFile {
  const char* path;
  const char* package;
};
constexpr DebianFile kExampleNeeds[] = {
    {"/usr/share/java/h2.jar", "libh2-java"},
    {"/usr/share/tomcat10/lib/catalina.jar", "tomcat10-common"}};

// The specification's example key behind a made-up signature.
constexpr const char* kSignature = "TWFkZVVwU2lnbmF0dXJlRm9yVGhlVGVzdE9ubHlOb3RBUmVhbE9uZQ==";
constexpr const char* kSpecRaw =
    "customer=customer name;expiryDate=2022-09-30;camundaBPM=true;optimize=false;cawemo=false";

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < array->size(); ++i)
    values.push_back(array->getElement<std::string>(i));
  return values;
}

class ExampleConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const DebianFile& need : kExampleNeeds) {
      if (!fs::exists(need.path)) {
        TELEMETRY_SKIP_OR_FAIL_IN_CI(std::string(need.path) + " is missing: install " +
                                     need.package + " (scripts/deps)");
      }
    }
    config_ = writeExampleWithRunDistribution();
    Outcome stored = telemetry({"license", "set", "-"}, std::string(kSignature) + ";" + kSpecRaw);
    ASSERT_EQ(stored.exitCode, 0) << stored.err;
  }

  // config/telemetry.yaml as shipped, plus the integrations plugin it leaves commented out
  // (it needs an installation to inspect), pointed at a Camunda Run layout made here.
  fs::path writeExampleWithRunDistribution() const {
    dir_.write("camunda-bpm-run/configuration/default.yml", "camunda.bpm: {}\n");
    telemetry::plugins::testing::ZipBuilder()
        .add("BOOT-INF/lib/camunda-bpm-spring-boot-starter-7.14.0.jar", "nested jar")
        .writeTo(dir_ / "camunda-bpm-run/internal/camunda-bpm-run-core-7.14.0.jar");
    std::ostringstream example;
    example << std::ifstream(TELEMETRY_SOURCE_DIR "/config/telemetry.yaml").rdbuf();
    std::string yaml = example.str();
    const std::string list = "\n  enabled:\n";
    const std::size_t at = yaml.find(list);
    if (at == std::string::npos) throw std::runtime_error("no plugins.enabled in the example");
    yaml.insert(at + list.size(), "    - name: integrations\n      settings: { apps: [\"" +
                                      (dir_ / "camunda-bpm-run").string() + "\"] }\n");
    // The copy keeps the example's relative state paths inside this test's directory.
    return dir_.write("telemetry.yaml", yaml);
  }

  Outcome telemetry(std::vector<std::string> args, const std::string& input = "") const {
    args.insert(args.begin(), {"--config", config_.string()});
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_.path(), input);
  }

  telemetry::test::TempDirectory dir_;
  fs::path config_;
};

TEST_F(ExampleConfigTest, ReportHasEverySectionTheExamplePromisesAndMatchesTheSchema) {
  Outcome r = telemetry({"report"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(telemetry::test::validateReport(r.out, "full"), "valid\n") << r.out;
  auto internals = telemetry::test::internalsOf(r.out);
  for (const char* section :
       {"database", "application-server", "jdk", "webapps", "camunda-integration", "license-key"}) {
    EXPECT_TRUE(internals->has(section)) << section << " missing; log:\n" << r.err;
  }
}

TEST_F(ExampleConfigTest, SectionsComeFromTheDebianFilesAndTheStoredKey) {
  Outcome r = telemetry({"report"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto internals = telemetry::test::internalsOf(r.out);
  ASSERT_TRUE(internals->has("application-server")) << r.err;
  EXPECT_EQ(internals->getObject("database")->getValue<std::string>("vendor"), "h2");
  // What Debian's Tomcat itself reports, read from its jar, never a literal.
  EXPECT_EQ(internals->getObject("application-server")->getValue<std::string>("version"),
            telemetry::plugins::testing::commandOutput(
                "unzip -p /usr/share/tomcat10/lib/catalina.jar "
                "org/apache/catalina/util/ServerInfo.properties | sed -n 's/^server\\.info=//p'"));
  EXPECT_THAT(strings(internals->getArray("camunda-integration")),
              ElementsAre("spring-boot-starter", "camunda-bpm-run"));
  auto license = internals->getObject("license-key");
  EXPECT_EQ(license->getValue<std::string>("raw"), kSpecRaw);
  // The spec: only a key set through the admin web application is reported structured.
  EXPECT_FALSE(license->has("customer")) << "a key set with 'license set' is raw text only";
  EXPECT_EQ(r.out.find(kSignature), std::string::npos);
}

}  // namespace
