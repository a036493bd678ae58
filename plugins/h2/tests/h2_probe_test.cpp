// The h2 plugin against Debian's real h2.jar (libh2-java); the expected value is what H2
// itself reports as Constants.FULL_VERSION, asked from a JVM at test time.
#include <gtest/gtest.h>

#include <filesystem>

#include "telemetry/plugin/testing.hpp"
#include "telemetry/plugins/testing/command_output.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/testing/zip_builder.hpp"
#include "telemetry/plugins/vendor_version.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::VendorVersion;
using telemetry::plugins::testing::commandOutput;
using telemetry::plugins::testing::TempDir;
using telemetry::plugins::testing::ZipBuilder;

namespace {

const std::filesystem::path kDebianH2Jar = "/usr/share/java/h2.jar";

class H2ProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kDebianH2Jar)) << "install libh2-java (scripts/deps)";
  }
  static std::string jarSettings(const std::filesystem::path& jar) {
    return "{\"jar\":\"" + jar.string() + "\"}";
  }
  // H2's own answer: a single-file Java program printing org.h2.engine.Constants.FULL_VERSION.
  std::string fullVersionFromH2() const {
    std::filesystem::path source =
        dir_.write("H2FullVersion.java",
                   "public class H2FullVersion { public static void main(String[] a) {\n"
                   "  System.out.println(org.h2.engine.Constants.FULL_VERSION); } }\n");
    return commandOutput("java -cp '" + kDebianH2Jar.string() + "' '" + source.string() + "'");
  }
  TempDir dir_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(H2ProbeTest, fills_the_database_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/database");
}

TEST_F(H2ProbeTest, reports_the_full_version_h2_itself_reports) {
  Result result = plugin_.collect(jarSettings(kDebianH2Jar));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  std::string expected = fullVersionFromH2();
  ASSERT_NE(expected.find(" ("), std::string::npos) << expected;
  EXPECT_EQ(result.text(), (VendorVersion{"h2", expected}.toJson()));
}

TEST_F(H2ProbeTest, reports_the_version_alone_when_the_build_date_is_missing) {
  auto jar = ZipBuilder()
                 .add("META-INF/MANIFEST.MF", "Implementation-Version: 1.4.190\n")
                 .writeTo(dir_ / "h2.jar");
  EXPECT_EQ(plugin_.collect(jarSettings(jar)).text(), (VendorVersion{"h2", "1.4.190"}.toJson()));
}

TEST_F(H2ProbeTest, is_not_applicable_without_a_jar) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(H2ProbeTest, fails_for_a_missing_jar) {
  Result result = plugin_.collect(jarSettings(dir_ / "missing.jar"));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("missing.jar"), std::string::npos) << result.text();
}

TEST_F(H2ProbeTest, fails_for_a_jar_without_version) {
  auto jar =
      ZipBuilder().add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n").writeTo(dir_ / "lib.jar");
  EXPECT_EQ(plugin_.collect(jarSettings(jar)).kind(), Result::Kind::error);
}

TEST_F(H2ProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"url":"jdbc:h2:mem:"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'h2'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'url'"), std::string::npos) << result.text();
}

TEST_F(H2ProbeTest, gives_up_when_the_deadline_has_passed) {
  Result result = plugin_.collect(jarSettings(kDebianH2Jar), {}, std::chrono::milliseconds(0));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("deadline"), std::string::npos) << result.text();
}
