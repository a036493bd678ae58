// Fuzz target: a POST /pings body sent with Content-Encoding: gzip through GzipBody::inflate.
// The first two bytes choose the size limit (0-65535), the rest is the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/gzip_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using telemetry::collector::GzipBody;
  if (size < 2) return 0;
  const std::size_t limit = static_cast<std::size_t>(data[0]) << 8 | data[1];
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
  try {
    const std::string inflated = GzipBody::inflate(body, limit);
    if (inflated.size() > limit) std::abort();
    // Inflating is deterministic, and a larger limit cannot refuse what a smaller took.
    if (GzipBody::inflate(body, limit + 1) != inflated) std::abort();
  } catch (const telemetry::collector::GzipBodyTooLarge& e) {
    if (e.inflated() > limit + 1) std::abort();  // the bomb check: never more than it must
  } catch (const telemetry::collector::GzipBodyMalformed&) {
    // The documented answer to a body that is not one complete gzip member.
  }
  return 0;
}
