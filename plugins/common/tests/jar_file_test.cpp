#include "telemetry/plugins/jar_file.hpp"

#include <gtest/gtest.h>

#include "telemetry/plugins/manifest.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/testing/zip_builder.hpp"

using namespace telemetry::plugins;
using telemetry::plugins::testing::TempDir;
using telemetry::plugins::testing::ZipBuilder;

TEST(JarFileTest, reads_one_entry) {
  TempDir dir;
  auto file = ZipBuilder().add("a/b.txt", "hello").add("c.txt", "other").writeTo(dir / "x.jar");
  EXPECT_EQ(JarFile(file).read("a/b.txt"), "hello");
}

TEST(JarFileTest, answers_nothing_for_a_missing_entry) {
  TempDir dir;
  auto file = ZipBuilder().add("a.txt", "x").writeTo(dir / "x.jar");
  EXPECT_FALSE(JarFile(file).read("b.txt").has_value());
}

TEST(JarFileTest, lists_entries_under_a_prefix) {
  TempDir dir;
  auto file = ZipBuilder()
                  .add("BOOT-INF/lib/a.jar", "1")
                  .add("BOOT-INF/lib/b.jar", "2")
                  .add("META-INF/MANIFEST.MF", "M: 1\n")
                  .writeTo(dir / "x.jar");
  EXPECT_EQ(JarFile(file).entryNames("BOOT-INF/lib/"),
            (std::vector<std::string>{"BOOT-INF/lib/a.jar", "BOOT-INF/lib/b.jar"}));
}

TEST(JarFileTest, reads_the_manifest_of_a_jar) {
  TempDir dir;
  auto file = ZipBuilder()
                  .add("META-INF/MANIFEST.MF", "Implementation-Version: 1.2\n")
                  .writeTo(dir / "x.jar");
  EXPECT_EQ(Manifest::of(JarFile(file)).attribute("Implementation-Version"), "1.2");
}

TEST(JarFileTest, refuses_a_file_that_is_not_a_zip) {
  TempDir dir;
  auto file = dir.write("fake.jar", "this is not a zip file at all");
  EXPECT_THROW(JarFile{file}, JarError);
}

TEST(JarFileTest, refuses_a_missing_file) { EXPECT_THROW(JarFile{"/nonexistent/x.jar"}, JarError); }

TEST(JarFileTest, reads_a_jar_written_by_the_jar_tool) {
  TempDir dir;
  dir.write("content/org/x/info.properties", "a=1\n");
  std::string command = "cd '" + (dir / "content").string() + "' && jar cf ../tool.jar org";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(JarFile(dir / "tool.jar").read("org/x/info.properties"), "a=1\n");
}
