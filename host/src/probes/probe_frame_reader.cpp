#include "probes/probe_frame_reader.hpp"

#include <cstdint>

namespace telemetry {

std::optional<ProbeFrame> ProbeFrameReader::next() {
  if (oversized_ || pendingBytes() < ProbeFrame::kHeaderBytes) return std::nullopt;
  const char* header = buffer_.data() + consumed_;
  std::uint32_t length = 0;
  for (int i = 0; i < 4; ++i) {
    length |= static_cast<std::uint32_t>(static_cast<unsigned char>(header[1 + i])) << (8 * i);
  }
  if (length > maxPayload_) {
    oversized_ = true;
    return std::nullopt;
  }
  if (pendingBytes() < ProbeFrame::kHeaderBytes + length) return std::nullopt;
  ProbeFrame frame{static_cast<ProbeFrame::Type>(header[0]),
                   std::string(header + ProbeFrame::kHeaderBytes, length)};
  consumed_ += ProbeFrame::kHeaderBytes + length;
  // Drop what was consumed once it dominates the buffer, keeping appends amortised O(1).
  if (consumed_ > buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  return frame;
}

}  // namespace telemetry
