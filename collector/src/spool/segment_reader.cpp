#include "spool/segment_reader.hpp"

#include <zlib.h>

namespace telemetry::collector {
namespace {

std::uint32_t readLe32(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= std::uint32_t{static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)])}
             << (8 * i);
  }
  return value;
}

void appendLe(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::uint32_t checksum(std::uint64_t segment, std::string_view payload) {
  unsigned char number[8];
  for (int i = 0; i < 8; ++i) number[i] = static_cast<unsigned char>((segment >> (8 * i)) & 0xFF);
  uLong crc = crc32(0L, number, sizeof number);
  // zlib takes a uInt length; kMaxPayload keeps every payload far below it.
  crc =
      crc32(crc, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()));
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

SegmentReader::SegmentReader(std::string_view bytes, std::uint64_t segment, std::uint64_t start)
    : bytes_(bytes), segment_(segment), start_(start) {}

bool SegmentReader::hasHeader(std::string_view file) { return file.starts_with(kHeader); }

void SegmentReader::appendFrame(std::string& out, std::uint64_t segment, std::string_view payload) {
  appendLe(out, payload.size(), 4);
  appendLe(out, checksum(segment, payload), 4);
  out.append(payload);
}

std::optional<std::string_view> SegmentReader::next() {
  if (damaged_ || needed_ != 0) return std::nullopt;
  const std::string_view rest = bytes_.substr(at_);
  if (rest.empty()) return std::nullopt;
  if (rest.size() < kFrameHead) {
    needed_ = kFrameHead;
    return std::nullopt;
  }
  const std::uint32_t length = readLe32(rest);
  // A zero length is where a crash left zeroes, or a file's preallocated end.
  if (length == 0 || length > kMaxPayload) {
    damaged_ = true;
    return std::nullopt;
  }
  if (rest.size() - kFrameHead < length) {
    needed_ = kFrameHead + length;
    return std::nullopt;
  }
  const std::string_view payload = rest.substr(kFrameHead, length);
  if (readLe32(rest.substr(4)) != checksum(segment_, payload)) {
    damaged_ = true;
    return std::nullopt;
  }
  at_ += kFrameHead + length;
  return payload;
}

}  // namespace telemetry::collector
