#include "received_request.hpp"

#include <utility>

#include "telemetry/http/request_body.hpp"

namespace telemetry::http {
namespace {

// What was read ahead, then (for a body over the limit) the rest straight from the connection,
// so that a handler can still drain it after answering 413.
class PrefixedBuffer final : public std::streambuf {
 public:
  PrefixedBuffer(std::string prefix, std::istream* rest) : prefix_(std::move(prefix)), rest_(rest) {
    setg(prefix_.data(), prefix_.data(), prefix_.data() + prefix_.size());
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (rest_ == nullptr) return traits_type::eof();
    rest_->read(chunk_, sizeof chunk_);
    const std::streamsize count = rest_->gcount();
    if (count <= 0) {
      rest_ = nullptr;
      return traits_type::eof();
    }
    setg(chunk_, chunk_, chunk_ + count);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::string prefix_;
  std::istream* rest_;
  char chunk_[8192];
};

}  // namespace

ReceivedRequest::ReceivedRequest(Poco::Net::HTTPServerRequest& request, std::size_t limit)
    : original_(request) {
  setMethod(request.getMethod());
  setURI(request.getURI());
  setVersion(request.getVersion());
  for (const auto& [name, value] : request) add(name, value);

  std::string body;
  std::istream* rest = nullptr;
  if (request.getChunkedTransferEncoding()) {
    body = readCappedBody(request.stream(), limit);
    if (body.size() > limit) {
      body_ = Body::overLimit;
      rest = &request.stream();
    } else if (request.stream().bad()) {
      body_ = Body::incomplete;
    }
  } else if (request.has("Transfer-Encoding")) {
    // Any other coding (gzip, "chunked, identity", ...) has no length we could trust: reading
    // on would take the next request for this one's body (RFC 9112 6.3).
    body_ = Body::incomplete;
  } else if (request.hasContentLength() && request.getContentLength64() < 0) {
    // Taken as "no body", the bytes after the head would be read as the next request.
    body_ = Body::incomplete;
  } else if (request.hasContentLength() && request.getContentLength64() > 0) {
    const auto length = static_cast<std::size_t>(request.getContentLength64());
    if (request.getContentLength64() > static_cast<Poco::Int64>(limit)) {
      body_ = Body::overLimit;
      rest = &request.stream();
    } else {
      body = readCappedBody(request.stream(), length);
      if (body.size() < length) body_ = Body::incomplete;
    }
  }
  // Without Content-Length or chunks a request has no body (RFC 9112 6.3); Poco would read
  // until the client closes.
  buffer_ = std::make_unique<PrefixedBuffer>(std::move(body), rest);
  stream_.rdbuf(buffer_.get());
}

ReceivedRequest::~ReceivedRequest() = default;

const Poco::Net::SocketAddress& ReceivedRequest::clientAddress() const {
  return original_.clientAddress();
}

const Poco::Net::SocketAddress& ReceivedRequest::serverAddress() const {
  return original_.serverAddress();
}

const Poco::Net::HTTPServerParams& ReceivedRequest::serverParams() const {
  return original_.serverParams();
}

Poco::Net::HTTPServerResponse& ReceivedRequest::response() const { return original_.response(); }

bool ReceivedRequest::secure() const { return original_.secure(); }

}  // namespace telemetry::http
