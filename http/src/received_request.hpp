// A request whose body has been read off the connection before a handler gets it, so that
// the whole request arrives under its deadline and a slow sender never holds a worker.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>

namespace telemetry::http {

class ReceivedRequest final : public Poco::Net::HTTPServerRequest {
 public:
  enum class Body {
    complete,    ///< read in full (a request without Content-Length or chunks has none)
    overLimit,   ///< larger than the limit: stream() gives what was read, then the rest
    incomplete,  ///< the connection ended, failed or was cut off first, or unknown framing
  };

  /// Copies the head of `request` and reads its body, at most `limit` + 1 bytes of it.
  ReceivedRequest(Poco::Net::HTTPServerRequest& request, std::size_t limit);
  ~ReceivedRequest() override;

  Body body() const { return body_; }

  std::istream& stream() override { return stream_; }
  const Poco::Net::SocketAddress& clientAddress() const override;
  const Poco::Net::SocketAddress& serverAddress() const override;
  const Poco::Net::HTTPServerParams& serverParams() const override;
  Poco::Net::HTTPServerResponse& response() const override;
  bool secure() const override;

 private:
  Poco::Net::HTTPServerRequest& original_;
  Body body_ = Body::complete;
  std::unique_ptr<std::streambuf> buffer_;
  std::istream stream_{nullptr};
};

}  // namespace telemetry::http
