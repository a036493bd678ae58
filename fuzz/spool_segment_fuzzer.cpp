// Fuzz target: a spool segment file as the collector finds it on disk after a crash or
// damage, read as its start-up recovery and its drain read it: frames through
// SegmentReader, in chunks that grow when a frame is longer, each payload through
// SpoolRecord::decode. The first input byte picks the segment number and the chunk size;
// bytes without a segment header go to SpoolRecord::decode as one record.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "spool/segment_reader.hpp"
#include "spool/spool_record.hpp"

using telemetry::collector::SegmentReader;
using telemetry::collector::SpoolFormatError;
using telemetry::collector::SpoolRecord;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned control = data[0];
  const std::uint64_t segment = control & 3;
  const std::size_t chunk = 16 + 64 * (control >> 2);
  const std::string_view file(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!SegmentReader::hasHeader(file)) {
    // Not a segment: the bytes as one record, so mutations reach the decoder past the CRC.
    try {
      if (SpoolRecord::encode(SpoolRecord::decode(file)) != file) std::abort();
    } catch (const SpoolFormatError&) {
    }
    return 0;
  }

  std::uint64_t position = SegmentReader::kHeader.size();
  std::string framed;  // every frame read, framed again
  for (;;) {
    std::size_t want = chunk;
    std::string_view bytes = file.substr(position, want);
    SegmentReader reader(bytes, segment, position);
    bool any = false;
    while (auto payload = reader.next()) {
      any = true;
      if (payload->size() > SegmentReader::kMaxPayload) std::abort();
      SegmentReader::appendFrame(framed, segment, *payload);
      try {
        // The format has one spelling per record: what decodes encodes to the same bytes.
        if (SpoolRecord::encode(SpoolRecord::decode(*payload)) != *payload) std::abort();
      } catch (const SpoolFormatError&) {
      }
    }
    if (reader.position() < position || reader.position() > file.size()) std::abort();
    if (any) {
      position = reader.position();
      continue;
    }
    // As the drain does: a frame longer than the chunk is read whole, once.
    if (reader.incomplete() && reader.needed() > want &&
        position + reader.needed() <= file.size()) {
      SegmentReader whole(file.substr(position, reader.needed()), segment, position);
      auto payload = whole.next();
      if (!payload && !whole.damaged()) std::abort();
      if (!payload) break;
      SegmentReader::appendFrame(framed, segment, *payload);
      position = whole.position();
      continue;
    }
    break;
  }
  // The frames handed out are exactly the bytes they came from, in order.
  if (file.substr(SegmentReader::kHeader.size(), framed.size()) != framed) std::abort();
  if (SegmentReader::kHeader.size() + framed.size() != position) std::abort();
  return 0;
}
