#include "offline/offline_report_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace telemetry {
namespace {

namespace fs = std::filesystem;

class OfflineReportFileTest : public ::testing::Test {
 protected:
  fs::path dir =
      fs::temp_directory_path() / ("offline-report-file-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path file = dir / "reports.jsonl";

  void SetUp() override {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  std::string contents() {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::size_t entries() {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
  }
};

TEST_F(OfflineReportFileTest, HoldsEveryReportWrittenSoFarOneLineEach0600AndNoTemporaryFile) {
  OfflineReportFile out(file, false);
  ASSERT_TRUE(out.write("initial", "k1", R"({"a":1})").delivered);
  EXPECT_EQ(contents(), "{\"kind\":\"initial\",\"idempotency-key\":\"k1\",\"report\":{\"a\":1}}\n");
  ASSERT_TRUE(out.write("full", "k2", R"({"b":2})").delivered);
  EXPECT_EQ(contents(),
            "{\"kind\":\"initial\",\"idempotency-key\":\"k1\",\"report\":{\"a\":1}}\n"
            "{\"kind\":\"full\",\"idempotency-key\":\"k2\",\"report\":{\"b\":2}}\n");
  EXPECT_EQ(out.reports(), 2u);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(entries(), 1u) << "the temporary names are gone";
  EXPECT_EQ(out.destination(), "file:" + file.string());
}

TEST_F(OfflineReportFileTest, RefusesAnExistingFileUnlessToldToReplaceIt) {
  std::ofstream(file) << "keep me\n";
  EXPECT_THROW(OfflineReportFile(file, false), OfflineReportFileError);
  EXPECT_EQ(contents(), "keep me\n");
  OfflineReportFile replacing(file, true);
  ASSERT_TRUE(replacing.write("full", "k", "{}").delivered);
  EXPECT_EQ(contents(), "{\"kind\":\"full\",\"idempotency-key\":\"k\",\"report\":{}}\n");
}

// A file (or a symbolic link an attacker planted) appearing between the check and the
// first report is not replaced: the report is not delivered, so it is not counted as sent.
TEST_F(OfflineReportFileTest, DoesNotReplaceAFileThatAppearedAfterTheCheck) {
  OfflineReportFile out(file, false);
  fs::create_symlink(dir / "elsewhere", file);
  const Delivery delivery = out.write("full", "k", "{}");
  EXPECT_FALSE(delivery.delivered);
  EXPECT_NE(delivery.error.find("exists"), std::string::npos) << delivery.error;
  EXPECT_FALSE(fs::exists(dir / "elsewhere"));
  EXPECT_EQ(entries(), 1u) << "only the link: no temporary file left";
  EXPECT_EQ(out.reports(), 0u);
}

TEST_F(OfflineReportFileTest, AFolderThatIsNotThereIsAnErrorNotAnException) {
  OfflineReportFile out(dir / "missing" / "reports.jsonl", false);
  const Delivery delivery = out.write("full", "k", "{}");
  EXPECT_FALSE(delivery.delivered);
  EXPECT_NE(delivery.error.find("cannot create a temporary file"), std::string::npos);
}

}  // namespace
}  // namespace telemetry
