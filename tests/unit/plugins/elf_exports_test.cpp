#include "plugins/elf_exports.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/plugin/abi.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using telemetry::readElfExports;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::ThrowsMessage;

namespace {

class ElfExportsTest : public ::testing::Test {
 protected:
  fs::path copyOfMockGood(const std::string& as) {
    fs::path copy = temp_.path() / as;
    fs::copy_file(fs::path(TELEMETRY_MOCK_PLUGIN_DIR) / "mock_good.so", copy);
    return copy;
  }

  fs::path writeFile(const std::string& name, const std::string& bytes) {
    fs::path file = temp_.path() / name;
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

  telemetry::test::TempDirectory temp_;
};

TEST_F(ElfExportsTest, ListsThePluginEntryPointsButNotItsHiddenOrImportedSymbols) {
  auto names = readElfExports(copyOfMockGood("mock_good.so"));
  EXPECT_THAT(names, Contains(telemetry::plugin::kAbiSymbol));
  EXPECT_THAT(names, Contains(telemetry::plugin::kDescriptorSymbol));
  // Imported from libstdc++ and libc, not defined here.
  EXPECT_THAT(names, Not(Contains("_Znwm")));
  EXPECT_THAT(names, Not(Contains("memcpy")));
}

TEST_F(ElfExportsTest, FindsTheEntryPointsOfAStrippedPlugin) {
  fs::path plugin = copyOfMockGood("stripped.so");
  std::string strip = std::string(TELEMETRY_STRIP) + " --strip-all " + plugin.string();
  ASSERT_EQ(std::system(strip.c_str()), 0) << strip;
  auto names = readElfExports(plugin);
  EXPECT_THAT(names, Contains(telemetry::plugin::kAbiSymbol));
  EXPECT_THAT(names, Contains(telemetry::plugin::kDescriptorSymbol));
}

TEST_F(ElfExportsTest, RefusesAFileThatIsNotElf) {
  EXPECT_THAT([&] { readElfExports(writeFile("notes.so", std::string(200, 'x'))); },
              ThrowsMessage<std::runtime_error>(HasSubstr("not an ELF file")));
}

TEST_F(ElfExportsTest, RefusesAFileTooShortForAnElfHeader) {
  EXPECT_THAT(
      [&] {
        readElfExports(writeFile("short.so",
                                 "\x7f"
                                 "ELF"));
      },
      ThrowsMessage<std::runtime_error>(HasSubstr("truncated")));
}

TEST_F(ElfExportsTest, RefusesATruncatedPluginInsteadOfReadingPastItsEnd) {
  fs::path plugin = copyOfMockGood("cut.so");
  fs::resize_file(plugin, fs::file_size(plugin) / 2);  // the section headers are at the end
  EXPECT_THAT([&] { readElfExports(plugin); },
              ThrowsMessage<std::runtime_error>(HasSubstr("truncated")));
}

}  // namespace
