#include "spool/spool_writer.hpp"

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "spool/segment_reader.hpp"
#include "spool/spool_test_support.hpp"

namespace telemetry::collector {
namespace {

std::future<bool> append(SpoolWriter& writer, std::string payload) {
  auto done = std::make_shared<std::promise<bool>>();
  auto future = done->get_future();
  writer.append(std::move(payload),
                [done](std::exception_ptr failure) { done->set_value(!failure); });
  return future;
}

TEST(SpoolWriterTest, AnswersOnlyWhatIsOnDisk) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  SegmentLedger ledger;
  SpoolWriter writer(directory, ledger, 1, {});
  EXPECT_TRUE(append(writer, "one").get());
  // Answered: the frame is in the file already, and the ledger says it is synced.
  const auto length = std::filesystem::file_size(directory.segmentPath(1));
  EXPECT_EQ(length, SegmentReader::kHeader.size() + SegmentReader::kFrameHead + 3);
  EXPECT_EQ(ledger.bytes(), length);
  EXPECT_EQ(writer.syncs(), 1u);
}

TEST(SpoolWriterTest, KeepsEveryRecordFromConcurrentSenders) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  std::vector<std::string> expected;
  {
    SegmentLedger ledger;
    SpoolWriter writer(directory, ledger, 1, {});
    std::vector<std::thread> senders;
    std::vector<std::vector<std::future<bool>>> answers(4);
    for (int t = 0; t < 4; ++t) {
      senders.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          answers[static_cast<std::size_t>(t)].push_back(
              append(writer, std::to_string(t) + "-" + std::to_string(i)));
        }
      });
    }
    for (auto& sender : senders) sender.join();
    for (auto& list : answers) {
      for (auto& answer : list) EXPECT_TRUE(answer.get());
    }
    EXPECT_LE(writer.syncs(), 800u);
  }
  auto found = test::recoverAll(directory);
  EXPECT_EQ(found.size(), 800u);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(std::adjacent_find(found.begin(), found.end()), found.end());
}

TEST(SpoolWriterTest, StartsANewSegmentOnceOneIsFull) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  SegmentLedger ledger;
  {
    SpoolWriter writer(directory, ledger, 5, {1ULL << 30, 100});
    for (int i = 0; i < 4; ++i) append(writer, std::string(100, static_cast<char>('a' + i))).get();
  }
  // Each group found the segment at or past 100 bytes, so went to the next one.
  EXPECT_EQ(directory.segments(), (std::vector<std::uint64_t>{5, 6, 7, 8}));
  EXPECT_EQ(ledger.count(), 4u);
  EXPECT_TRUE(ledger.oldest()->sealed);
  EXPECT_EQ(test::recoverAll(directory).size(), 4u);
}

TEST(SpoolWriterTest, RefusesWhatWouldPassTheMaximumSize) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  SegmentLedger ledger;
  const std::uint64_t max = SegmentReader::kHeader.size() + 2 * (SegmentReader::kFrameHead + 10);
  SpoolWriter writer(directory, ledger, 1, {max, 1ULL << 20});
  EXPECT_TRUE(append(writer, std::string(10, 'x')).get());
  EXPECT_TRUE(append(writer, std::string(10, 'y')).get());
  EXPECT_FALSE(writer.full());
  EXPECT_THROW(append(writer, "z"), SpoolFull);
  EXPECT_TRUE(writer.full());
}

TEST(SpoolWriterTest, IsNoLongerFullOnceASegmentIsDeleted) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  SegmentLedger ledger;
  const std::uint64_t max =
      2 * SegmentReader::kHeader.size() + 2 * (SegmentReader::kFrameHead + 40);
  SpoolWriter writer(directory, ledger, 1, {max, 20});
  EXPECT_TRUE(append(writer, std::string(40, 'x')).get());
  EXPECT_TRUE(append(writer, std::string(40, 'y')).get());  // into segment 2
  EXPECT_THROW(append(writer, "z"), SpoolFull);
  ledger.removeOldest();  // what the drain does once segment 1 is stored
  directory.remove(1);
  EXPECT_FALSE(writer.full());
  EXPECT_TRUE(append(writer, "z").get());
}

}  // namespace
}  // namespace telemetry::collector
