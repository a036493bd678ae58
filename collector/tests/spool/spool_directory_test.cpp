#include "spool/spool_directory.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "spool/segment_reader.hpp"
#include "spool/spool_test_support.hpp"

namespace telemetry::collector {
namespace {

void append(const std::filesystem::path& file, std::uint64_t segment,
            const std::vector<std::string>& payloads) {
  std::string bytes;
  for (const auto& payload : payloads) SegmentReader::appendFrame(bytes, segment, payload);
  std::ofstream(file, std::ios::binary | std::ios::app) << bytes;
}

TEST(SpoolDirectoryTest, CreatesItsFolderPrivate) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path() / "spool");
  EXPECT_EQ(std::filesystem::status(scratch.path() / "spool").permissions(),
            std::filesystem::perms::owner_all);
}

TEST(SpoolDirectoryTest, ListsSegmentsByNumberAndNothingElse) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(10));
  ::close(directory.create(9));
  std::ofstream(scratch.path() / "notes.txt") << "x";
  std::ofstream(scratch.path() / "00000000000000000011.seg.damaged") << "x";
  EXPECT_EQ(directory.segments(), (std::vector<std::uint64_t>{9, 10}));
  EXPECT_EQ(directory.segmentPath(9).filename(), "00000000000000000009.seg");
}

TEST(SpoolDirectoryTest, CreatesASegmentWithItsHeaderOnly) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(1));
  EXPECT_EQ(test::readFile(directory.segmentPath(1)), std::string(SegmentReader::kHeader));
  EXPECT_THROW(directory.create(1), std::runtime_error);  // never over an existing one
}

TEST(SpoolDirectoryTest, RecoversEveryWholeFrameInOrder) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(1));
  ::close(directory.create(2));
  append(directory.segmentPath(1), 1, {"a", "b"});
  append(directory.segmentPath(2), 2, {"c"});
  std::vector<SpoolDirectory::Recovered> found;
  EXPECT_EQ(test::recoverAll(directory, &found), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].cut, 0u);
  EXPECT_EQ(found[1].length, std::filesystem::file_size(directory.segmentPath(2)));
}

TEST(SpoolDirectoryTest, CutsATornTailAndKeepsWhatCameBefore) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(1));
  append(directory.segmentPath(1), 1, {"first", "second", "third"});
  const auto file = directory.segmentPath(1);
  const auto whole = std::filesystem::file_size(file);
  std::filesystem::resize_file(file, whole - 2);  // "third" torn mid-record
  std::vector<SpoolDirectory::Recovered> found;
  EXPECT_EQ(test::recoverAll(directory, &found), (std::vector<std::string>{"first", "second"}));
  const auto kept = whole - (SegmentReader::kFrameHead + 5);
  EXPECT_EQ(found.at(0).length, kept);
  EXPECT_EQ(found.at(0).cut, SegmentReader::kFrameHead + 5 - 2);
  EXPECT_EQ(std::filesystem::file_size(file), kept);  // cut on disk, not only skipped
  // What is appended after the cut reads on from there.
  append(file, 1, {"fourth"});
  EXPECT_EQ(test::recoverAll(directory), (std::vector<std::string>{"first", "second", "fourth"}));
}

TEST(SpoolDirectoryTest, DeletesASegmentCutInsideItsHeader) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  std::ofstream(directory.segmentPath(3), std::ios::binary) << "TLM";
  EXPECT_TRUE(test::recoverAll(directory).empty());
  EXPECT_FALSE(std::filesystem::exists(directory.segmentPath(3)));
}

TEST(SpoolDirectoryTest, RefusesAFileThatIsNoSegment) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  std::ofstream(directory.segmentPath(3), std::ios::binary) << "this is something else entirely";
  EXPECT_THROW(test::recoverAll(directory), std::runtime_error);
  EXPECT_TRUE(std::filesystem::exists(directory.segmentPath(3)));
}

TEST(SpoolDirectoryTest, RefusesASpoolAnotherCollectorUses) {
  test::ScratchFolder scratch;
  std::optional<SpoolDirectory> first(std::in_place, scratch.path());
  EXPECT_THROW(SpoolDirectory second(scratch.path()), std::runtime_error);
  first.reset();
  EXPECT_NO_THROW(SpoolDirectory again(scratch.path()));
}

TEST(SpoolDirectoryTest, ReusesAStoredSegmentsFileWithoutItsReports) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(1));
  append(directory.segmentPath(1), 1, {"stored", "long ago"});
  const auto size = std::filesystem::file_size(directory.segmentPath(1));
  directory.recycle(1);
  ::close(directory.create(2));
  EXPECT_EQ(directory.segments(), std::vector<std::uint64_t>{2});
  EXPECT_EQ(std::filesystem::file_size(directory.segmentPath(2)), size);  // blocks kept
  EXPECT_TRUE(test::recoverAll(directory).empty());  // segment 1's frames do not read as 2's
  ::close(directory.create(3));                      // no spare left: a new file
  EXPECT_EQ(std::filesystem::file_size(directory.segmentPath(3)), SegmentReader::kHeader.size());
}

TEST(SpoolDirectoryTest, KeepsOneSpareAtMost) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(1));
  ::close(directory.create(2));
  append(directory.segmentPath(2), 2, {"x"});
  directory.recycle(1);
  directory.recycle(2);
  EXPECT_TRUE(directory.segments().empty());
  EXPECT_EQ(std::filesystem::file_size(scratch.path() / "spare.seg"),
            SegmentReader::kHeader.size());
}

TEST(SpoolDirectoryTest, DropsASpareLeftByACrashAtStart) {
  test::ScratchFolder scratch;
  {
    SpoolDirectory directory(scratch.path());
    ::close(directory.create(1));
    // As if a crash came between the two names of recycle(): the spare is segment 1 too.
    std::filesystem::create_hard_link(directory.segmentPath(1), scratch.path() / "spare.seg");
  }
  SpoolDirectory directory(scratch.path());
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "spare.seg"));
  ::close(directory.create(2));
  EXPECT_NE(std::filesystem::status(directory.segmentPath(1)).type(),
            std::filesystem::file_type::not_found);
  EXPECT_EQ(std::filesystem::hard_link_count(directory.segmentPath(1)), 1u);
}

TEST(SpoolDirectoryTest, RemovesASegment) {
  test::ScratchFolder scratch;
  SpoolDirectory directory(scratch.path());
  ::close(directory.create(1));
  directory.remove(1);
  EXPECT_TRUE(directory.segments().empty());
}

}  // namespace
}  // namespace telemetry::collector
