#include "http/gzip_body.hpp"

#include <Poco/DeflatingStream.h>
#include <gtest/gtest.h>

#include <sstream>

namespace telemetry::collector {
namespace {

std::string gzip(const std::string& text) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
  deflate << text;
  deflate.close();
  return out.str();
}

constexpr std::size_t kLimit = 64 * 1024;
const std::string kReport = R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3"})";

TEST(GzipBodyTest, InflatesOneGzipMember) {
  EXPECT_EQ(GzipBody::inflate(gzip(kReport), kLimit), kReport);
  // Poco writes nothing at all for no input; this is what gzip(1) writes.
  const std::string empty("\x1f\x8b\x08\0\0\0\0\0\x02\x03\x03\0\0\0\0\0\0\0\0\0", 20);
  EXPECT_EQ(GzipBody::inflate(empty, kLimit), "");
}

TEST(GzipBodyTest, TakesABodyOfExactlyTheLimit) {
  const std::string body(kLimit, 'x');
  EXPECT_EQ(GzipBody::inflate(gzip(body), kLimit), body);
}

TEST(GzipBodyTest, RefusesOneByteOverTheLimit) {
  EXPECT_THROW(GzipBody::inflate(gzip(std::string(kLimit + 1, 'x')), kLimit), GzipBodyTooLarge);
}

// 10 MB of zeros is about 10 KB of gzip: inflating stops one byte past the limit.
TEST(GzipBodyTest, StopsABombAtTheLimit) {
  const std::string bomb = gzip(std::string(10 * 1000 * 1000, '\0'));
  ASSERT_LT(bomb.size(), 20u * 1024);
  try {
    GzipBody::inflate(bomb, kLimit);
    FAIL() << "a bomb was inflated";
  } catch (const GzipBodyTooLarge& e) {
    EXPECT_LE(e.inflated(), kLimit + 1);
    EXPECT_STREQ(e.what(), "the report is larger than 65536 bytes once inflated");
  }
}

TEST(GzipBodyTest, RefusesEveryTruncation) {
  const std::string whole = gzip(kReport);
  for (std::size_t size = 0; size < whole.size(); ++size) {
    EXPECT_THROW(GzipBody::inflate(whole.substr(0, size), kLimit), GzipBodyMalformed) << size;
  }
}

TEST(GzipBodyTest, RefusesABadChecksum) {
  std::string body = gzip(kReport);
  body[body.size() - 6] ^= 0x01;  // inside the CRC-32 of the trailer
  EXPECT_THROW(GzipBody::inflate(body, kLimit), GzipBodyMalformed);
}

TEST(GzipBodyTest, RefusesBytesAfterTheMember) {
  EXPECT_THROW(GzipBody::inflate(gzip(kReport) + "x", kLimit), GzipBodyMalformed);
  EXPECT_THROW(GzipBody::inflate(gzip(kReport) + gzip(kReport), kLimit), GzipBodyMalformed);
}

TEST(GzipBodyTest, RefusesWhatIsNotGzip) {
  EXPECT_THROW(GzipBody::inflate(kReport, kLimit), GzipBodyMalformed);
  std::string zlibHeader = gzip(kReport);
  zlibHeader[0] = 0x78;  // a zlib stream's first byte, not gzip's magic
  EXPECT_THROW(GzipBody::inflate(zlibHeader, kLimit), GzipBodyMalformed);
}

TEST(GzipBodyTest, PassesInvalidUtf8OnForTheParserToRefuse) {
  const std::string invalid = "{\"installation\":\"\xff\xfe\"}";
  EXPECT_EQ(GzipBody::inflate(gzip(invalid), kLimit), invalid);
}

}  // namespace
}  // namespace telemetry::collector
