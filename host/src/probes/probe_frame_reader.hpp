// Reassembles ProbeFrames from bytes that arrive in pieces, refusing any frame that
// announces a payload over a limit before buffering it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "probes/probe_frame.hpp"

namespace telemetry {

class ProbeFrameReader {
 public:
  explicit ProbeFrameReader(std::size_t maxPayload) : maxPayload_(maxPayload) {}

  /// Adds bytes as they were read.
  void append(std::string_view bytes) { buffer_.append(bytes); }

  /// The next complete frame, or nullopt until more bytes arrive or once oversized().
  std::optional<ProbeFrame> next();

  /// True once a frame announced a payload over the limit; nothing after it is decoded.
  bool oversized() const { return oversized_; }

  /// Bytes received that are not part of a complete frame yet.
  std::size_t pendingBytes() const { return buffer_.size() - consumed_; }

 private:
  std::size_t maxPayload_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  bool oversized_ = false;
};

}  // namespace telemetry
