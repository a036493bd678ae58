#include "telemetry/probe_frame.hpp"

#include <cstdint>

namespace telemetry {

std::string ProbeFrame::encode() const {
  auto length = static_cast<std::uint32_t>(payload.size());
  std::string bytes;
  bytes.reserve(kHeaderBytes + payload.size());
  bytes += static_cast<char>(type);
  for (int shift = 0; shift < 32; shift += 8) bytes += static_cast<char>((length >> shift) & 0xff);
  bytes += payload;
  return bytes;
}

}  // namespace telemetry
