#include "plugins/plugin_catalog.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/skip_or_fail_in_ci.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using telemetry::EnabledPlugin;
using telemetry::PluginCatalog;
using telemetry::PluginInfo;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

/// A temporary plugin directory holding copies of chosen mock plugins.
class PluginCatalogTest : public ::testing::Test {
 protected:
  void add(const std::string& mock, const std::string& as = "") {
    fs::copy_file(fs::path(TELEMETRY_MOCK_PLUGIN_DIR) / (mock + ".so"),
                  dir_ / (as.empty() ? mock + ".so" : as));
  }

  static const PluginInfo& byFile(const PluginCatalog& c, const std::string& file) {
    for (const auto& p : c.plugins()) {
      if (p.file.filename() == file) return p;
    }
    throw std::runtime_error("no plugin from " + file);
  }

  telemetry::test::TempDirectory temp_;
  const fs::path& dir_ = temp_.path();
};

TEST_F(PluginCatalogTest, LoadsAGoodPluginAndReadsItsDescriptor) {
  add("mock_good");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
  const PluginInfo& info = byFile(catalog, "mock_good.so");
  EXPECT_EQ(info.name, "mock-good");
  EXPECT_EQ(info.state, "loaded");
  EXPECT_EQ(info.section, "/product/internals/database");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_TRUE(info.enabled);
  ASSERT_TRUE(info.abi.has_value());
  EXPECT_EQ(info.abi->major, 1u);
  EXPECT_NE(catalog.find("mock-good"), nullptr);
}

// ABI 1.1 appended Descriptor::needs: a 1.0 plugin loads, needing nothing whatever follows
// its shorter descriptor in memory.
TEST_F(PluginCatalogTest, LoadsAnAbiOneZeroPluginThatDeclaresNoNeeds) {
  add("mock_abi_1_0");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-abi-1-0"}});
  const PluginInfo& info = byFile(catalog, "mock_abi_1_0.so");
  EXPECT_EQ(info.state, "loaded");
  ASSERT_TRUE(info.abi.has_value());
  EXPECT_EQ(info.abi->minor, 0u);
  EXPECT_EQ(info.needs, 0u);
  EXPECT_NE(catalog.find("mock-abi-1-0"), nullptr);
}

// ABI 1.2 appended Descriptor::fieldDocs: a 1.1 plugin loads and documents nothing, whatever
// follows its shorter descriptor (here a table pointing nowhere).
TEST_F(PluginCatalogTest, LoadsAnAbiOneOnePluginThatDocumentsNothing) {
  add("mock_abi_1_1");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-abi-1-1"}});
  const PluginInfo& info = byFile(catalog, "mock_abi_1_1.so");
  EXPECT_EQ(info.state, "loaded");
  ASSERT_TRUE(info.abi.has_value());
  EXPECT_EQ(info.abi->minor, 1u);
  EXPECT_TRUE(info.fields.empty());
  EXPECT_NE(catalog.find("mock-abi-1-1"), nullptr);
}

TEST_F(PluginCatalogTest, ReadsTheFieldsAPluginDocuments) {
  add("mock_documented");
  PluginCatalog catalog({dir_}, {});
  const PluginInfo& info = byFile(catalog, "mock_documented.so");
  EXPECT_EQ(info.state, "loaded");
  ASSERT_EQ(info.fields.size(), 3u);
  EXPECT_EQ(info.fields[2].pointer, "/items/*");
  EXPECT_EQ(info.fields[2].description, "One item of the mock.");
  EXPECT_EQ(info.fields[2].purpose, "To test wildcards.");
}

TEST_F(PluginCatalogTest, RefusesAPluginWhoseFieldDocumentationIsOverTheLimits) {
  add("mock_oversized_field_docs");
  PluginCatalog catalog({dir_}, {});
  EXPECT_EQ(byFile(catalog, "mock_oversized_field_docs.so").state,
            "refused: a field's description is longer than 512 bytes");
}

// Distributions strip what they ship (dh_strip, CPACK_STRIP_FILES): only .dynsym is left.
TEST_F(PluginCatalogTest, LoadsAStrippedPlugin) {
  add("mock_good");
  std::string strip =
      std::string(TELEMETRY_STRIP) + " --strip-all " + (dir_ / "mock_good.so").string();
  ASSERT_EQ(std::system(strip.c_str()), 0) << strip;
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
  EXPECT_EQ(byFile(catalog, "mock_good.so").state, "loaded");
}

TEST_F(PluginCatalogTest, RefusesAWrongAbiNamingBothVersions) {
  add("mock_wrong_abi");
  PluginCatalog catalog({dir_}, {});
  EXPECT_EQ(byFile(catalog, "mock_wrong_abi.so").state,
            "refused: ABI 2.0, host supports 1.x up to 1.2");
}

TEST_F(PluginCatalogTest, RefusesASharedObjectWithoutEntryPoint) {
  add("mock_no_entry_point");
  PluginCatalog catalog({dir_}, {});
  EXPECT_THAT(byFile(catalog, "mock_no_entry_point.so").state,
              HasSubstr("not a telemetry plugin (no telemetry_plugin_abi symbol)"));
}

TEST_F(PluginCatalogTest, RefusesAFileThatIsNotASharedObject) {
  std::ofstream(dir_ / "notes.so") << "just text";
  PluginCatalog catalog({dir_}, {});
  EXPECT_THAT(byFile(catalog, "notes.so").state, StartsWith("refused: not a loadable"));
}

TEST_F(PluginCatalogTest, SecondPluginWithTheSameNameIsRefused) {
  add("mock_good", "a.so");
  add("mock_good", "b.so");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
  EXPECT_EQ(byFile(catalog, "a.so").state, "loaded");
  EXPECT_THAT(byFile(catalog, "b.so").state,
              HasSubstr("refused: duplicate of plugin 'mock-good' in "));
}

TEST_F(PluginCatalogTest, EnabledPluginThatIsNotFoundIsListedAsMissing) {
  PluginCatalog catalog({dir_}, {EnabledPlugin{"postgresql"}});
  ASSERT_EQ(catalog.plugins().size(), 1u);
  EXPECT_EQ(catalog.plugins()[0].name, "postgresql");
  EXPECT_THAT(catalog.plugins()[0].state, StartsWith("missing: "));
  EXPECT_EQ(catalog.find("postgresql"), nullptr);
}

TEST_F(PluginCatalogTest, MisspeltEnabledPluginSuggestsTheNearestFound) {
  add("mock_good");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-godo"}});
  ASSERT_EQ(catalog.plugins().size(), 2u);
  EXPECT_THAT(catalog.plugins()[1].state, HasSubstr("(did you mean 'mock-good'?)"));
}

TEST_F(PluginCatalogTest, EnabledPluginThatIsRefusedIsListedOnceWithWhy) {
  add("mock_good");
  fs::permissions(dir_ / "mock_good.so", fs::perms::others_write, fs::perm_options::add);
  add("mock_wrong_abi");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}, EnabledPlugin{"mock-wrong-abi"}});
  ASSERT_EQ(catalog.plugins().size(), 2u);
  for (const PluginInfo& p : catalog.plugins()) {
    EXPECT_TRUE(p.enabled) << p.file;
    EXPECT_THAT(p.state, StartsWith("refused: ")) << p.file;
  }
}

TEST_F(PluginCatalogTest, MissingDirectoryIsNotFatal) {
  add("mock_good");
  PluginCatalog catalog({dir_ / "absent", dir_}, {EnabledPlugin{"mock-good"}});
  EXPECT_NE(catalog.find("mock-good"), nullptr);
}

TEST_F(PluginCatalogTest, KeepsOnlyEnabledPluginsLoaded) {
  add("mock_good");
  add("mock_throws");
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-throws"}});
  EXPECT_EQ(catalog.find("mock-good"), nullptr);
  EXPECT_NE(catalog.find("mock-throws"), nullptr);
  EXPECT_FALSE(byFile(catalog, "mock_good.so").enabled);
}

TEST_F(PluginCatalogTest, ProbeKeepsItsLibraryAliveAfterTheCatalogIsGone) {
  add("mock_good");
  std::shared_ptr<telemetry::plugin::Probe> probe;
  {
    PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
    std::string error;
    probe = catalog.find("mock-good")->createProbe(error);
    ASSERT_NE(probe, nullptr) << error;
  }
  // The catalog and its plugin handle are gone; calling into the code must still work.
  telemetry::plugin::Context context("{}", telemetry::plugin::Context::Clock::now());
  EXPECT_EQ(probe->collect(context).kind(), telemetry::plugin::Result::Kind::value);
}

TEST_F(PluginCatalogTest, RefusesAWorldWritablePluginFile) {
  add("mock_good");
  fs::permissions(dir_ / "mock_good.so", fs::perms::others_write, fs::perm_options::add);
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
  EXPECT_THAT(byFile(catalog, "mock_good.so").state,
              StartsWith("refused: unsafe: file " + (dir_ / "mock_good.so").string() +
                         " is world-writable (mode 0"));
  EXPECT_THAT(byFile(catalog, "mock_good.so").state,
              HasSubstr("plugins.allow-unsafe: true loads it anyway"));
  EXPECT_EQ(catalog.find("mock-good"), nullptr);
}

TEST_F(PluginCatalogTest, RefusesEveryPluginInAWorldWritableDirectory) {
  add("mock_good");
  fs::permissions(dir_, fs::perms::others_all, fs::perm_options::add);
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
  EXPECT_THAT(byFile(catalog, "mock_good.so").state,
              StartsWith("refused: unsafe: directory " + dir_.string() + " is world-writable"));
}

TEST_F(PluginCatalogTest, RefusesAPluginOwnedByAnotherUser) {
  if (::geteuid() != 0) TELEMETRY_SKIP_OR_FAIL_IN_CI("only root can give a file to another user");
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) TELEMETRY_SKIP_OR_FAIL_IN_CI("no user 'nobody' on this machine");
  add("mock_good");
  ASSERT_EQ(::chown((dir_ / "mock_good.so").c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}});
  EXPECT_THAT(byFile(catalog, "mock_good.so").state,
              HasSubstr("is owned by nobody (uid " + std::to_string(nobody->pw_uid) +
                        "), neither root nor the user running the host"));
}

TEST_F(PluginCatalogTest, RefusesAPluginWhoseLinkPointsIntoAWorldWritableDirectory) {
  fs::create_directory(dir_ / "open");
  fs::copy_file(fs::path(TELEMETRY_MOCK_PLUGIN_DIR) / "mock_good.so", dir_ / "open/real.so");
  fs::permissions(dir_ / "open", fs::perms::others_all, fs::perm_options::add);
  fs::create_directory(dir_ / "plugins");
  fs::create_symlink(dir_ / "open/real.so", dir_ / "plugins/mock_good.so");
  PluginCatalog catalog({dir_ / "plugins"}, {EnabledPlugin{"mock-good"}});
  EXPECT_THAT(catalog.plugins()[0].state, HasSubstr("directory " + (dir_ / "open").string()));
}

TEST_F(PluginCatalogTest, AllowUnsafeLoadsAnUnsafePluginAnyway) {
  add("mock_good");
  fs::permissions(dir_ / "mock_good.so", fs::perms::others_write, fs::perm_options::add);
  PluginCatalog catalog({dir_}, {EnabledPlugin{"mock-good"}}, true);
  EXPECT_EQ(byFile(catalog, "mock_good.so").state, "loaded");
  EXPECT_NE(catalog.find("mock-good"), nullptr);
}

}  // namespace
