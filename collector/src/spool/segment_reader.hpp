// Reads the framed records of one spool segment, stopping at the first frame that is not whole.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace telemetry::collector {

/// A segment file is an 8-byte header ("TLMSPL1\n") and then frames: payload length (4
/// bytes LE), CRC-32 of the segment's number (8 bytes LE) followed by the payload (4 bytes
/// LE), the payload. The number in the checksum makes a frame left over in a reused or
/// renamed file fail its check instead of being read as part of another segment.
class SegmentReader {
 public:
  static constexpr std::string_view kHeader{"TLMSPL1\n", 8};
  static constexpr std::size_t kFrameHead = 8;
  /// Longer frames are damage, whatever their checksum says.
  static constexpr std::uint32_t kMaxPayload = 64U * 1024 * 1024;

  /// Frames from `bytes`, which begin at offset `start` of segment number `segment`; `start`
  /// must be the header's end or the end of a frame. The header itself is checked by
  /// hasHeader().
  SegmentReader(std::string_view bytes, std::uint64_t segment, std::uint64_t start);

  static bool hasHeader(std::string_view file);
  /// Appends one frame to `out`.
  static void appendFrame(std::string& out, std::uint64_t segment, std::string_view payload);

  /// The next whole frame's payload (a view into `bytes`), or nothing at the end of the
  /// bytes or at the first frame that is damaged, torn or cut by the end of `bytes`.
  std::optional<std::string_view> next();
  /// Offset in the segment just past the last frame next() returned.
  std::uint64_t position() const { return start_ + at_; }
  /// Why next() stopped: a frame whose length or checksum is wrong (as opposed to bytes
  /// that ran out: see incomplete()).
  bool damaged() const { return damaged_; }
  /// The bytes end inside a frame whose head is plausible; needed() is its whole size.
  bool incomplete() const { return needed_ != 0; }
  std::uint64_t needed() const { return needed_; }

 private:
  std::string_view bytes_;
  std::uint64_t segment_;
  std::uint64_t start_;
  std::size_t at_ = 0;
  bool damaged_ = false;
  std::uint64_t needed_ = 0;
};

}  // namespace telemetry::collector
