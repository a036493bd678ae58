#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "store/ip_hasher.hpp"

namespace telemetry::collector {
namespace {

class IpHasherTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("ip-hasher-test-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { std::filesystem::create_directories(dir); }
  void TearDown() override { std::filesystem::remove_all(dir); }
};

TEST_F(IpHasherTest, MatchesTheRfc4231HmacSha256Vector) {
  // RFC 4231 test case 6 (key longer than the block size); the data is not an IP, so it is
  // hashed as given.
  IpHasher hasher(std::string(131, '\xaa'));
  EXPECT_EQ(hasher.hash("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_F(IpHasherTest, MatchesTheRfc4231VectorWithAKeyShorterThanABlock) {
  // RFC 4231 test case 1.
  IpHasher hasher(std::string(20, '\x0b'));
  EXPECT_EQ(hasher.hash("Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST_F(IpHasherTest, GivesTheSameHashFromManyThreadsAndCopies) {
  const IpHasher hasher("secret-number-one-0123456789abcdef");
  const std::string expected = hasher.hash("192.0.2.7");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = hasher, &expected, &mismatches] {
      for (int i = 0; i < 1000; ++i) {
        if (copy.hash("192.0.2.7") != expected) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
}

TEST_F(IpHasherTest, DiffersBySecret) {
  EXPECT_NE(IpHasher("secret-number-one-0123456789abcdef").hash("192.0.2.1"),
            IpHasher("secret-number-two-0123456789abcdef").hash("192.0.2.1"));
}

TEST_F(IpHasherTest, NeverContainsTheAddress) {
  const auto hash = IpHasher("secret-number-one-0123456789abcdef").hash("127.0.0.1");
  EXPECT_EQ(hash.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(IpHasherTest, HashesAnIpv4MappedAddressLikeIpv4) {
  IpHasher hasher("secret-number-one-0123456789abcdef");
  EXPECT_EQ(hasher.hash("::ffff:192.0.2.1"), hasher.hash("192.0.2.1"));
}

}  // namespace
}  // namespace telemetry::collector
