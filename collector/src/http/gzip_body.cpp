#include "http/gzip_body.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>

namespace telemetry::collector {
namespace {

constexpr std::size_t kChunk = 16 * 1024;
constexpr int kGzipOnly = 16 + MAX_WBITS;  // zlib's windowBits for a gzip header and trailer

struct InflateEnd {
  void operator()(z_stream* stream) const {
    inflateEnd(stream);
    delete stream;
  }
};

}  // namespace

std::string GzipBody::inflate(std::string_view gzip, std::size_t limit) {
  std::unique_ptr<z_stream, InflateEnd> stream;
  {
    auto* raw = new z_stream{};
    if (inflateInit2(raw, kGzipOnly) != Z_OK) {
      delete raw;
      throw std::runtime_error("zlib: cannot start inflating");
    }
    stream.reset(raw);
  }
  // A body is at most max-body bytes (far below 4 GiB), so avail_in holds it at once.
  if (gzip.size() > UINT_MAX) throw GzipBodyMalformed("the gzip body is too large to inflate");
  stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  stream->avail_in = static_cast<uInt>(gzip.size());

  // One byte past the limit tells "exactly the limit" from "more".
  const std::size_t cap = limit == SIZE_MAX ? limit : limit + 1;
  std::string out;
  for (;;) {
    const std::size_t room = std::min(kChunk, cap - out.size());
    const std::size_t before = out.size();
    out.resize(before + room);
    stream->next_out = reinterpret_cast<Bytef*>(out.data() + before);
    stream->avail_out = static_cast<uInt>(room);
    const int result = ::inflate(stream.get(), Z_NO_FLUSH);
    out.resize(before + room - stream->avail_out);
    if (out.size() > limit) {
      throw GzipBodyTooLarge(
          "the report is larger than " + std::to_string(limit) + " bytes once inflated",
          out.size());
    }
    if (result == Z_STREAM_END) break;
    if (result == Z_BUF_ERROR && stream->avail_in == 0) {
      throw GzipBodyMalformed("the gzip body is truncated");
    }
    if (result != Z_OK && result != Z_BUF_ERROR) {
      throw GzipBodyMalformed(std::string("the gzip body is corrupt: ") +
                              (stream->msg != nullptr ? stream->msg : "inflate failed"));
    }
    if (result == Z_OK && stream->avail_in == 0 && stream->avail_out != 0) {
      throw GzipBodyMalformed("the gzip body is truncated");
    }
  }
  if (stream->avail_in != 0) {
    throw GzipBodyMalformed("the gzip body has bytes after its end (only one member is read)");
  }
  return out;
}

}  // namespace telemetry::collector
