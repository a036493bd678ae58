#include "privacy/ip_key_ring.hpp"

#include <Poco/DigestEngine.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string readAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string hex(const std::string& bytes) {
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(bytes.begin(), bytes.end()));
}

class IpKeyRingTest : public ::testing::Test {
 protected:
  fs::path dir =
      fs::temp_directory_path() / ("ip-key-ring-test-" + std::to_string(::getpid()) + "-" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  const IpKeyRing::Clock::time_point start = IpKeyRing::Clock::now();

  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }

  IpKeyRing::Options options() const {
    IpKeyRing::Options options;
    options.keyFile = dir / "collector.ip-keys";
    options.rotation = 10s;
    options.keepPrevious = 5s;
    options.legacySecretFile = dir / "collector.secret";
    options.rotateInBackground = false;
    return options;
  }
  std::vector<IpKeyFile::Key> stored() const { return IpKeyFile(dir / "collector.ip-keys").read(); }
  // Every byte in the directory, to show that a destroyed key is in no file at all.
  std::string everyFile() const {
    std::string all;
    for (const auto& entry : fs::directory_iterator(dir)) all += readAll(entry.path());
    return all;
  }
};

TEST_F(IpKeyRingTest, CreatesTheKeyFileReadableByOwnerOnly) {
  IpKeyRing ring(options());
  struct stat info {};
  ASSERT_EQ(::stat((dir / "collector.ip-keys").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(stored().size(), 1u);
  EXPECT_EQ(stored()[0].secret.size(), 32u);
}

TEST_F(IpKeyRingTest, ReusesTheKeyAcrossStarts) {
  const auto first = IpKeyRing(options()).hash("192.0.2.1").current;
  EXPECT_EQ(IpKeyRing(options()).hash("192.0.2.1").current, first);
}

TEST_F(IpKeyRingTest, RefusesAKeyFileOthersCanRead) {
  { IpKeyRing ring(options()); }
  fs::permissions(dir / "collector.ip-keys", fs::perms::others_read, fs::perm_options::add);
  EXPECT_THROW(IpKeyRing ring(options()), std::runtime_error);
}

TEST_F(IpKeyRingTest, RefusesAFileThatIsNoKeyFile) {
  std::ofstream(dir / "collector.ip-keys") << "1 0 not-hex\n";
  fs::permissions(dir / "collector.ip-keys", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_THROW(IpKeyRing ring(options()), std::runtime_error);
}

TEST_F(IpKeyRingTest, HashesTheSameAddressDifferentlyAfterARotation) {
  IpKeyRing ring(options());
  const auto before = ring.hash("192.0.2.1");
  EXPECT_TRUE(before.former.empty());
  ring.refresh(start + 9s);
  EXPECT_EQ(ring.hash("192.0.2.1").current, before.current) << "not due yet";
  ring.refresh(start + 11s);
  const auto after = ring.hash("192.0.2.1");
  EXPECT_NE(after.current, before.current);
  EXPECT_EQ(after.former, std::vector<std::string>{before.current}) << "still matchable";
}

TEST_F(IpKeyRingTest, DestroysTheReplacedKeyAfterKeepPrevious) {
  IpKeyRing ring(options());
  const std::string oldKey = hex(stored()[0].secret);
  ring.refresh(start + 11s);
  EXPECT_NE(everyFile().find(oldKey), std::string::npos);
  ring.refresh(start + 15s);
  EXPECT_EQ(ring.hash("192.0.2.1").former.size(), 1u) << "kept for 5s after its replacement";
  ring.refresh(start + 17s);
  EXPECT_TRUE(ring.hash("192.0.2.1").former.empty());
  EXPECT_EQ(stored().size(), 1u);
  EXPECT_EQ(everyFile().find(oldKey), std::string::npos) << "in no file of the directory";
}

TEST_F(IpKeyRingTest, CollectorsSharingTheFileHashAlike) {
  IpKeyRing first(options());
  IpKeyRing second(options());
  first.refresh(start + 11s);
  EXPECT_NE(first.hash("192.0.2.1").current, second.hash("192.0.2.1").current);
  second.refresh(start + 11s + 5ms);  // the other one rotated: adopt, do not rotate again
  EXPECT_EQ(first.hash("192.0.2.1").current, second.hash("192.0.2.1").current);
  EXPECT_EQ(stored().size(), 2u);
}

TEST_F(IpKeyRingTest, ImportsTheLegacySecretAsTheReplacedKeyAndDeletesIt) {
  const std::string secret(64, 'a');
  std::ofstream(dir / "collector.secret") << secret << "\n";
  fs::permissions(dir / "collector.secret", fs::perms::owner_read | fs::perms::owner_write);
  IpKeyRing ring(options());
  const auto hashes = ring.hash("192.0.2.1");
  EXPECT_EQ(hashes.former, std::vector<std::string>{IpHasher(secret).hash("192.0.2.1")});
  EXPECT_NE(hashes.current, IpHasher(secret).hash("192.0.2.1"));
  EXPECT_FALSE(fs::exists(dir / "collector.secret"));
  ring.refresh(IpKeyRing::Clock::now() + 6s);
  EXPECT_TRUE(ring.hash("192.0.2.1").former.empty());
  EXPECT_EQ(everyFile().find(secret), std::string::npos);
  EXPECT_EQ(everyFile().find(hex(secret)), std::string::npos);
}

TEST_F(IpKeyRingTest, RefusesALegacySecretOthersCanRead) {
  std::ofstream(dir / "collector.secret") << std::string(64, 'a') << "\n";
  fs::permissions(dir / "collector.secret", fs::perms::owner_read | fs::perms::others_read);
  EXPECT_THROW(IpKeyRing ring(options()), std::runtime_error);
}

TEST(IpKeyFileTest, ReadsWhatItFormats) {
  const std::vector<IpKeyFile::Key> keys{{5, 9, std::string(32, '\x01')},
                                         {9, 0, std::string(32, '\xfe')}};
  const auto read = IpKeyFile::parse(IpKeyFile::format(keys));
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[1].startedAt, 9);
  EXPECT_EQ(read[1].retiredAt, 0);
  EXPECT_EQ(read[1].secret, keys[1].secret);
}

TEST(IpKeyFileTest, RefusesMalformedLines) {
  const std::string key(64, 'a');
  for (const std::string& text : std::vector<std::string>{
           "1 0\n", "1 0 " + key + " extra\n", "-1 0 " + key + "\n", "1 0 abc\n",
           "1 0 " + std::string(64, 'g') + "\n", "1 0 " + key + "\n2 0 " + key + "\n",
           "1  0 " + key + "\n", "9223372036854775807 0 " + key + "\n",
           "1 0 " + std::string(2000, 'a') + "\n"}) {
    EXPECT_THROW(IpKeyFile::parse(text), std::invalid_argument) << text;
  }
}

}  // namespace
}  // namespace telemetry::collector
