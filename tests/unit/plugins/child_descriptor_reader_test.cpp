// The catalog in process isolation: descriptors read in telemetry-probe children, never by
// loading a plugin into this process, and kept in the descriptor cache.
#include "plugins/descriptors/child_descriptor_reader.hpp"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/descriptors/descriptor_cache.hpp"
#include "plugins/plugin_catalog.hpp"
#include "telemetry/plugin/abi.hpp"
#include "telemetry/test/captured_warnings.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using telemetry::ChildDescriptorReader;
using telemetry::DescriptorCache;
using telemetry::EnabledPlugin;
using telemetry::PluginCatalog;
using telemetry::PluginInfo;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

constexpr bool kSanitized = TELEMETRY_SANITIZED;
// Only proves "does not hang": the timeout below is far shorter.
constexpr auto kNoHang = std::chrono::seconds(30);

class ChildDescriptorReaderTest : public ::testing::Test {
 protected:
  /// Copies a mock plugin into the test's plugin directory (a path no other test loads).
  void add(const fs::path& from, const std::string& mock) {
    fs::copy_file(from / (mock + ".so"), plugins_ / (mock + ".so"));
  }

  PluginCatalog catalog(ChildDescriptorReader& reader,
                        std::vector<EnabledPlugin> enabled = {EnabledPlugin{"mock-good"}}) {
    return PluginCatalog({plugins_}, enabled, false, reader);
  }

  ChildDescriptorReader reader(std::optional<fs::path> cache = {},
                               telemetry::Duration timeout = std::chrono::seconds(3)) {
    telemetry::ProcessProbeRunnerOptions options;
    options.helper = TELEMETRY_PROBE_HELPER;
    return ChildDescriptorReader(options, timeout, cache);
  }

  static const PluginInfo& byFile(const PluginCatalog& c, const std::string& file) {
    for (const auto& p : c.plugins()) {
      if (p.file.filename() == file) return p;
    }
    throw std::runtime_error("no plugin from " + file);
  }

  /// The cache file after a first read of the test's plugins filled it.
  std::string filledCache() {
    auto first = reader(cache_);
    catalog(first);
    std::stringstream text;
    text << std::ifstream(cache_).rdbuf();
    return text.str();
  }

  /// Whether this process has `file` mapped, i.e. loaded it.
  static bool mappedHere(const fs::path& file) {
    std::ifstream maps("/proc/self/maps");
    std::stringstream text;
    text << maps.rdbuf();
    return text.str().find(file.string()) != std::string::npos;
  }

  telemetry::test::TempDirectory temp_;
  fs::path plugins_ = temp_.mkdir("plugins");
  fs::path cache_ = temp_ / "state.db.plugins.json";
};

TEST_F(ChildDescriptorReaderTest, ReadsADescriptorWithoutLoadingThePluginHere) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  auto children = reader();
  PluginCatalog c = catalog(children);
  const PluginInfo& info = byFile(c, "mock_good.so");
  EXPECT_EQ(info.state, "loaded");
  EXPECT_EQ(info.name, "mock-good");
  EXPECT_EQ(info.section, "/product/internals/database");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.description, "always answers");
  ASSERT_TRUE(info.abi.has_value());
  EXPECT_EQ(info.abi->major, 1u);
  auto plugin = c.find("mock-good");
  ASSERT_NE(plugin, nullptr);
  EXPECT_FALSE(plugin->loadedHere());
  EXPECT_FALSE(mappedHere(plugins_ / "mock_good.so"));
  EXPECT_EQ(children.childrenStarted(), 1u);
}

TEST_F(ChildDescriptorReaderTest, PluginsWhoseLoadingCrashesExitsOrHangsAreRefusedWithWhy) {
  for (const char* mock :
       {"mock_constructor_segfaults", "mock_constructor_exits", "mock_constructor_hangs"}) {
    add(TELEMETRY_MOCK_LOADING_PLUGIN_DIR, mock);
  }
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  auto children = reader({}, std::chrono::seconds(2));
  auto start = std::chrono::steady_clock::now();
  PluginCatalog c = catalog(children);
  EXPECT_LT(std::chrono::steady_clock::now() - start, kNoHang);
  EXPECT_THAT(byFile(c, "mock_constructor_segfaults.so").state,
              StartsWith(kSanitized ? "refused: loading it in telemetry-probe: exited with status 1"
                                    : "refused: loading it in telemetry-probe: crashed with "
                                      "SIGSEGV (Segmentation fault)"));
  EXPECT_THAT(byFile(c, "mock_constructor_exits.so").state,
              StartsWith("refused: loading it in telemetry-probe: exited with status 0 without an "
                         "answer"));
  EXPECT_EQ(byFile(c, "mock_constructor_hangs.so").state,
            "refused: loading it in telemetry-probe: no answer within 2000 ms");
  EXPECT_EQ(byFile(c, "mock_good.so").state, "loaded");
}

// Plugin code ran in the child, so its answer is checked like any outside input.
TEST_F(ChildDescriptorReaderTest, AForgedAnswerClaimingAHostSectionIsRefused) {
  add(TELEMETRY_MOCK_LOADING_PLUGIN_DIR, "mock_constructor_forges_description");
  auto children = reader();
  PluginCatalog c = catalog(children, {EnabledPlugin{"mock-forged"}});
  const PluginInfo& info = byFile(c, "mock_constructor_forges_description.so");
  EXPECT_EQ(info.state,
            "refused: telemetry-probe answered a malformed description: section "
            "'/product/internals/commands' is filled by the host");
  EXPECT_EQ(c.find("mock-forged"), nullptr);
}

TEST_F(ChildDescriptorReaderTest, AWrongAbiIsRefusedAsWhenLoadedHere) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_wrong_abi");
  auto children = reader();
  PluginCatalog c = catalog(children, {});
  EXPECT_EQ(byFile(c, "mock_wrong_abi.so").state,
            "refused: ABI 2.0, host supports 1.x up to 1." +
                std::to_string(telemetry::plugin::kAbiVersion.minor));
}

TEST_F(ChildDescriptorReaderTest, DocumentedFieldsComeThroughTheChildAndTheCache) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_documented");
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_oversized_field_docs");
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_abi_1_1");
  auto first = reader(cache_);
  PluginCatalog cold = catalog(first);
  auto second = reader(cache_);
  PluginCatalog warm = catalog(second);
  EXPECT_EQ(second.childrenStarted(), 0u);
  for (const PluginCatalog* c : {&cold, &warm}) {
    const PluginInfo& documented = byFile(*c, "mock_documented.so");
    EXPECT_EQ(documented.state, "loaded");
    ASSERT_EQ(documented.fields.size(), 3u);
    EXPECT_EQ(documented.fields[2].pointer, "/items/*");
    EXPECT_EQ(documented.fields[2].purpose, "To test wildcards.");
    EXPECT_EQ(byFile(*c, "mock_oversized_field_docs.so").state,
              "refused: a field's description is longer than 512 bytes");
    EXPECT_EQ(byFile(*c, "mock_abi_1_1.so").state, "loaded");
    EXPECT_TRUE(byFile(*c, "mock_abi_1_1.so").fields.empty());
  }
}

TEST_F(ChildDescriptorReaderTest, ACacheEntryWithForgedFieldDocsIsDroppedAndTheFileReadAgain) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_documented");
  const std::string good = filledCache();
  const std::string wildcard = R"("pointer": "/items/*")";
  ASSERT_NE(good.find(wildcard), std::string::npos) << good;
  for (const std::string& forged :
       {std::string(R"("pointer": "/items")"), std::string(R"("pointer": "items/*")"),
        std::string(R"("pointer": "/items/\u0000")"), std::string(R"("pointer": 7)"),
        std::string(R"("pointer": ")") + std::string(300, 'x') + "\""}) {
    std::string changed = good;
    changed.replace(changed.find(wildcard), wildcard.size(), forged);
    std::ofstream(cache_, std::ios::trunc) << changed;
    telemetry::test::CapturedWarnings warnings("telemetry.catalog");
    auto children = reader(cache_);
    PluginCatalog c = catalog(children);
    EXPECT_EQ(children.childrenStarted(), 1u) << forged;
    ASSERT_EQ(byFile(c, "mock_documented.so").fields.size(), 3u) << forged;
    EXPECT_EQ(byFile(c, "mock_documented.so").fields[2].pointer, "/items/*") << forged;
    EXPECT_FALSE(warnings.texts().empty()) << forged;
  }
}

TEST_F(ChildDescriptorReaderTest, TheCacheSparesAChildForAnUnchangedFileAndIsPrivate) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  add(TELEMETRY_MOCK_LOADING_PLUGIN_DIR, "mock_constructor_exits");
  auto first = reader(cache_);
  PluginCatalog cold = catalog(first);
  EXPECT_EQ(first.childrenStarted(), 2u);
  struct stat status {};
  ASSERT_EQ(::stat(cache_.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);

  auto second = reader(cache_);
  PluginCatalog warm = catalog(second);
  EXPECT_EQ(second.childrenStarted(), 0u);
  EXPECT_EQ(byFile(warm, "mock_good.so").section, "/product/internals/database");
  EXPECT_EQ(byFile(warm, "mock_good.so").state, "loaded");
  EXPECT_NE(warm.find("mock-good"), nullptr);
  EXPECT_EQ(byFile(warm, "mock_constructor_exits.so").state,
            byFile(cold, "mock_constructor_exits.so").state)
      << "a refusal is kept too";
}

TEST_F(ChildDescriptorReaderTest, ATimeoutIsKeptUntilTheTimeoutGrows) {
  add(TELEMETRY_MOCK_LOADING_PLUGIN_DIR, "mock_constructor_hangs");
  auto first = reader(cache_, std::chrono::milliseconds(500));
  catalog(first, {});
  auto same = reader(cache_, std::chrono::milliseconds(500));
  PluginCatalog kept = catalog(same, {});
  EXPECT_EQ(same.childrenStarted(), 0u);
  EXPECT_EQ(byFile(kept, "mock_constructor_hangs.so").state,
            "refused: loading it in telemetry-probe: no answer within 500 ms");
  auto longer = reader(cache_, std::chrono::milliseconds(700));
  PluginCatalog again = catalog(longer, {});
  EXPECT_EQ(longer.childrenStarted(), 1u) << "a longer timeout may let it answer";
  EXPECT_EQ(byFile(again, "mock_constructor_hangs.so").state,
            "refused: loading it in telemetry-probe: no answer within 700 ms");
}

TEST_F(ChildDescriptorReaderTest, AChangedFileIsReadAgain) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  auto first = reader(cache_);
  catalog(first);
  // Replaced by a plugin whose loading exits: the kept "loaded" must not hide that.
  fs::remove(plugins_ / "mock_good.so");
  fs::copy_file(fs::path(TELEMETRY_MOCK_LOADING_PLUGIN_DIR) / "mock_constructor_exits.so",
                plugins_ / "mock_good.so");
  auto second = reader(cache_);
  PluginCatalog c = catalog(second, {});
  EXPECT_EQ(second.childrenStarted(), 1u);
  EXPECT_THAT(byFile(c, "mock_good.so").state, HasSubstr("exited with status 0"));
}

TEST_F(ChildDescriptorReaderTest, AGarbageCacheIsIgnoredWithAWarningAndRewritten) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  std::ofstream(cache_) << "{ not json";
  fs::permissions(cache_, fs::perms::owner_read | fs::perms::owner_write);
  telemetry::test::CapturedWarnings warnings("telemetry.catalog");
  auto children = reader(cache_);
  PluginCatalog c = catalog(children);
  EXPECT_EQ(byFile(c, "mock_good.so").state, "loaded");
  ASSERT_EQ(warnings.texts().size(), 1u);
  EXPECT_THAT(warnings.texts()[0], HasSubstr("ignoring the plugin descriptor cache"));
  auto again = reader(cache_);
  catalog(again);
  EXPECT_EQ(again.childrenStarted(), 0u) << "rewritten by the first read";
}

/// A cache entry for the very file, claiming what a plugin may not: each is dropped and the
/// file read again by a child.
TEST_F(ChildDescriptorReaderTest, ForgedCacheEntriesAreDroppedAndTheFileReadAgain) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  const std::string good = filledCache();
  const std::string section = R"("/product/internals/database")";
  ASSERT_NE(good.find(section), std::string::npos);
  for (const std::string& forged :
       {std::string(R"("/product/internals/commands")"), std::string(R"("/elsewhere")"),
        std::string(R"(42)"), std::string(R"("\u0000")")}) {
    std::string changed = good;
    changed.replace(changed.find(section), section.size(), forged);
    std::ofstream(cache_, std::ios::trunc) << changed;
    telemetry::test::CapturedWarnings warnings("telemetry.catalog");
    auto children = reader(cache_);
    PluginCatalog c = catalog(children);
    EXPECT_EQ(children.childrenStarted(), 1u) << forged;
    EXPECT_EQ(byFile(c, "mock_good.so").section, "/product/internals/database") << forged;
    EXPECT_FALSE(warnings.texts().empty()) << forged;
  }
}

TEST_F(ChildDescriptorReaderTest, ACacheOthersCanWriteIsIgnored) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  filledCache();
  fs::permissions(cache_, fs::perms::group_write, fs::perm_options::add);
  telemetry::test::CapturedWarnings warnings("telemetry.catalog");
  auto second = reader(cache_);
  catalog(second);
  EXPECT_EQ(second.childrenStarted(), 1u);
  ASSERT_FALSE(warnings.texts().empty());
  EXPECT_THAT(warnings.texts()[0], HasSubstr("writable by others than its owner"));
}

TEST_F(ChildDescriptorReaderTest, ACacheOfAnotherHostVersionIsReadAfresh) {
  add(TELEMETRY_MOCK_PLUGIN_DIR, "mock_good");
  std::string old = filledCache();
  const std::string host = R"("host": ")";
  old.insert(old.find(host) + host.size(), "0.0.0-old-");
  std::ofstream(cache_, std::ios::trunc) << old;
  auto second = reader(cache_);
  catalog(second);
  EXPECT_EQ(second.childrenStarted(), 1u);
}

TEST_F(ChildDescriptorReaderTest, NoCacheIsWrittenBeforeTheStateStoreExists) {
  telemetry::StateConfig state;
  state.path = (temp_ / "state.db").string();
  EXPECT_FALSE(DescriptorCache::locationFor(state).has_value());
  std::ofstream(state.path) << "";
  EXPECT_EQ(DescriptorCache::locationFor(state), fs::path(state.path + ".plugins.json"));
}

}  // namespace
