#include "spool/segment_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace telemetry::collector {
namespace {

constexpr std::uint64_t kSegment = 42;
constexpr std::uint64_t kStart = SegmentReader::kHeader.size();

std::string frames(const std::vector<std::string>& payloads, std::uint64_t segment = kSegment) {
  std::string out;
  for (const auto& payload : payloads) SegmentReader::appendFrame(out, segment, payload);
  return out;
}

std::vector<std::string> readAll(SegmentReader& reader) {
  std::vector<std::string> out;
  while (auto payload = reader.next()) out.emplace_back(*payload);
  return out;
}

TEST(SegmentReaderTest, ReadsEveryFrameInOrder) {
  const std::string bytes = frames({"one", "two", std::string(70000, 'x')});
  SegmentReader reader(bytes, kSegment, kStart);
  EXPECT_EQ(readAll(reader), (std::vector<std::string>{"one", "two", std::string(70000, 'x')}));
  EXPECT_EQ(reader.position(), kStart + bytes.size());
  EXPECT_FALSE(reader.damaged());
  EXPECT_FALSE(reader.incomplete());
}

TEST(SegmentReaderTest, StopsBeforeATornLastFrame) {
  const std::string whole = frames({"one", "two"});
  const std::size_t firstEnd = SegmentReader::kFrameHead + 3;
  for (std::size_t cut = firstEnd + 1; cut < whole.size(); ++cut) {
    SegmentReader reader(std::string_view(whole).substr(0, cut), kSegment, kStart);
    EXPECT_EQ(readAll(reader), std::vector<std::string>{"one"}) << cut;
    EXPECT_EQ(reader.position(), kStart + firstEnd) << cut;
    EXPECT_TRUE(reader.incomplete()) << cut;
  }
}

TEST(SegmentReaderTest, StopsAtAFrameWhosePayloadChanged) {
  std::string bytes = frames({"one", "two", "three"});
  bytes[2 * SegmentReader::kFrameHead + 3 + 1] ^= 0x01;  // inside "two"
  SegmentReader reader(bytes, kSegment, kStart);
  EXPECT_EQ(readAll(reader), std::vector<std::string>{"one"});
  EXPECT_TRUE(reader.damaged());
}

TEST(SegmentReaderTest, StopsAtZeroes) {
  const std::string bytes = frames({"one"}) + std::string(64, '\0');
  SegmentReader reader(bytes, kSegment, kStart);
  EXPECT_EQ(readAll(reader), std::vector<std::string>{"one"});
  EXPECT_TRUE(reader.damaged());
}

// A file reused under another number must not hand back what it held before.
TEST(SegmentReaderTest, RefusesAFrameWrittenForAnotherSegment) {
  const std::string bytes = frames({"one"}, kSegment + 1);
  SegmentReader reader(bytes, kSegment, kStart);
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.damaged());
}

TEST(SegmentReaderTest, RefusesALengthOverTheLimit) {
  std::string bytes(SegmentReader::kFrameHead, '\0');
  const std::uint32_t length = SegmentReader::kMaxPayload + 1;
  for (int i = 0; i < 4; ++i)
    bytes[static_cast<std::size_t>(i)] = static_cast<char>(length >> (8 * i));
  SegmentReader reader(bytes, kSegment, kStart);
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.damaged());
  EXPECT_FALSE(reader.incomplete());
}

TEST(SegmentReaderTest, SaysHowMuchAFrameCutByTheBufferNeeds) {
  const std::string bytes = frames({std::string(1000, 'x')});
  SegmentReader reader(std::string_view(bytes).substr(0, 100), kSegment, kStart);
  EXPECT_FALSE(reader.next());
  EXPECT_EQ(reader.needed(), bytes.size());
}

TEST(SegmentReaderTest, KnowsItsHeader) {
  EXPECT_TRUE(SegmentReader::hasHeader(std::string(SegmentReader::kHeader) + "rest"));
  EXPECT_FALSE(SegmentReader::hasHeader("TLMSPL1"));
  EXPECT_FALSE(SegmentReader::hasHeader(std::string(8, '\0')));
}

}  // namespace
}  // namespace telemetry::collector
