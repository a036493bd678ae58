// Fuzz target: a REST request body through readJsonObject() (media type, size cap, JSON
// nesting limit, allowed fields), as POST /telemetry/usage reads it. The first input byte
// picks the Content-Type and whether a Content-Length is declared; the rest is the body.
// An ApiError (the 4xx answer) is the expected outcome of bad input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SocketAddress.h>

#include "api/api_error.hpp"
#include "api/api_request.hpp"

namespace {

// A request as the Poco server hands it to a route: headers set, the body as a stream.
class FuzzRequest : public Poco::Net::HTTPServerRequest {
 public:
  explicit FuzzRequest(const std::string& body) : body_(body) {}
  std::istream& stream() override { return body_; }
  const Poco::Net::SocketAddress& clientAddress() const override { return address_; }
  const Poco::Net::SocketAddress& serverAddress() const override { return address_; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return *params_; }
  Poco::Net::HTTPServerResponse& response() const override {
    throw std::logic_error("readJsonObject must not answer by itself");
  }
  bool secure() const override { return false; }

 private:
  std::istringstream body_;
  Poco::Net::SocketAddress address_;
  Poco::Net::HTTPServerParams::Ptr params_ = new Poco::Net::HTTPServerParams;
};

constexpr std::array kContentTypes{"application/json", "application/json; charset=utf-8",
                                   "application/problem+json", "text/plain", ""};
// Small enough that the fuzzer reaches the 413 path.
constexpr std::size_t kMaxBody = 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned control = data[0];
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  FuzzRequest request(body);
  request.setContentType(kContentTypes[(control & 0x7f) % kContentTypes.size()]);
  if ((control & 0x80) != 0) request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  try {
    auto object =
        telemetry::api::readJsonObject(request, kMaxBody, {"commands", "metrics", "workers"});
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(object, out);
  } catch (const telemetry::api::ApiError&) {
  }
  return 0;
}
