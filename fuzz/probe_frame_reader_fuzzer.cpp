// Fuzz target: the bytes a telemetry-probe child writes on its answer channel, arriving in
// pieces of any size, reassembled by ProbeFrameReader and read as the host reads them
// (logLineOf, resultOf). The first input byte picks the piece sizes and the payload limit;
// the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "probes/probe_frame_reader.hpp"
#include "probes/probe_runner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned control = data[0];
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  // A small limit reaches the oversized path with short inputs; the large one is the host's.
  const std::size_t limit = (control & 1) != 0 ? 16 : telemetry::kMaxProbeOutputBytes;
  const std::size_t piece = 1 + (control >> 1);

  telemetry::ProbeFrameReader reader(limit);
  std::string decoded;  // the frames read so far, encoded again
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    reader.append(stream.substr(at, piece));
    while (auto frame = reader.next()) {
      if (frame->payload.size() > limit) std::abort();
      const auto line = telemetry::logLineOf(*frame);
      const auto result = telemetry::resultOf(*frame);
      if ((line && frame->type != telemetry::ProbeFrame::Type::log) ||
          (result && frame->type != telemetry::ProbeFrame::Type::result)) {
        std::abort();
      }
      decoded += frame->encode();
    }
  }
  // Every frame handed out is exactly the bytes it came from, in order; what is pending is
  // the rest of the stream, unless an oversized frame stopped the reader.
  if (stream.substr(0, decoded.size()) != decoded) std::abort();
  if (!reader.oversized() && decoded.size() + reader.pendingBytes() != stream.size()) std::abort();
  return 0;
}
