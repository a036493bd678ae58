// IP hash keys rotated by a running collector: the same address hashes differently after a
// rotation, duplicates and rate limits still hold across one, and a replaced key is gone
// from disk once kept long enough.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Session.h>
#include <Poco/DigestEngine.h>

#include "collector_end_to_end.hpp"
#include "privacy/ip_key_file.hpp"
#include "store/ip_hasher.hpp"
#include "telemetry/storage/database.hpp"

namespace telemetry::collector::test {
namespace {

// Short enough for a test; keep-previous covers the dedup-window, as the configuration asks.
constexpr const char* kFastRotation =
    "ip-hash: { rotation: 2s, keep-previous: 5s }\ndedup-window: 4s\n";

class IpKeyRotationTest : public CollectorEndToEndTest {
 protected:
  std::string currentKey() {
    for (const auto& key : IpKeyFile(dir / "collector.ip-keys").read()) {
      if (key.retiredAt == 0) return key.secret;
    }
    return "";
  }
  // Returns the new key once the collector has replaced `key`. The pause lets the collector
  // take up the key it has just written before the test sends anything.
  std::string waitForRotation(const std::string& key) {
    std::string next = currentKey();
    for (int i = 0; i < 1000 && next == key; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      next = currentKey();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    return next;
  }
  std::string everyFile() {
    std::string all;
    for (const auto& entry : fs::directory_iterator(dir)) all += readFile(entry.path());
    return all;
  }
  static std::string hex(const std::string& bytes) {
    return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(bytes.begin(), bytes.end()));
  }
};

TEST_F(IpKeyRotationTest, HashesDifferentlyAfterARotationAndStillFindsTheDuplicate) {
  start(kFastRotation);
  const std::string first = waitForRotation(currentKey());
  ASSERT_EQ(post(example()).status, 202);
  const std::string second = waitForRotation(first);
  ASSERT_NE(second, first);
  EXPECT_EQ(post(example()).status, 200) << "a duplicate across the rotation";
  ASSERT_EQ(post(initial()).status, 202);
  // A 202 means spooled: the drain stores behind the answer.
  for (int i = 0; i < 600 && storedRows() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  auto session = storage::openDatabase((dir / "collector.db").string()).session;
  Poco::Data::Statement select(*session);
  select << "SELECT kind, ip_hash FROM reports ORDER BY id", Poco::Data::Keywords::now;
  Poco::Data::RecordSet rows(select);
  ASSERT_EQ(rows.rowCount(), 2u);
  EXPECT_EQ(rows.value(1, 0).convert<std::string>(), IpHasher(first).hash("127.0.0.1"));
  EXPECT_EQ(rows.value(1, 1).convert<std::string>(), IpHasher(second).hash("127.0.0.1"));
  EXPECT_NE(rows.value(1, 0).convert<std::string>(), rows.value(1, 1).convert<std::string>());

  // Replaced when `second` started, destroyed 5 s later: in no file of the directory.
  ASSERT_NE(everyFile().find(hex(first)), std::string::npos);
  for (int i = 0; i < 1000 && everyFile().find(hex(first)) != std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(everyFile().find(hex(first)), std::string::npos);
}

TEST_F(IpKeyRotationTest, KeepsASendersRateLimitAcrossARotation) {
  start(std::string(kFastRotation) + "rate-limit: { per-minute: 1, burst: 1 }\n");
  const std::string first = waitForRotation(currentKey());
  EXPECT_EQ(post("{}").status, 400);
  waitForRotation(first);
  EXPECT_EQ(post("{}").status, 429) << "the bucket follows the sender to the new key";
}

}  // namespace
}  // namespace telemetry::collector::test
