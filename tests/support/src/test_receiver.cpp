#include "telemetry/test/test_receiver.hpp"

#include <sstream>
#include <stdexcept>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>

namespace telemetry::test {

std::string certificateFile(const std::string& name) {
  return std::string(TELEMETRY_TEST_CERTS_DIR) + "/" + name;
}

TestReceiver::Answer TestReceiver::Answer::parse(const std::string& step) {
  const std::string text = Poco::trim(step);
  const auto colon = text.find(':');
  const std::string head = text.substr(0, colon);
  const std::string tail = colon == std::string::npos ? "" : text.substr(colon + 1);
  unsigned number = 0;
  const bool hasNumber = Poco::NumberParser::tryParseUnsigned(tail, number);
  if (colon != std::string::npos && !hasNumber) {
    throw std::invalid_argument("script step '" + text + "': a whole number must follow ':'");
  }
  Answer answer;
  if (head == "close" && colon == std::string::npos) {
    answer.status = kClose;
  } else if (head == "hang") {
    answer.status = kHang;
    if (hasNumber) answer.hangFor = std::chrono::seconds(number);
  } else if (unsigned status = 0;
             Poco::NumberParser::tryParseUnsigned(head, status) && status >= 100 && status <= 599) {
    answer.status = static_cast<int>(status);
    if (hasNumber) answer.retryAfterSeconds = static_cast<int>(number);
  } else {
    throw std::invalid_argument("script step '" + text +
                                "': expected STATUS, STATUS:RETRY_AFTER, hang, hang:SECONDS "
                                "or close");
  }
  return answer;
}

std::vector<TestReceiver::Answer> TestReceiver::parseScript(const std::string& script) {
  std::vector<Answer> answers;
  std::istringstream steps(script);
  std::string step;
  while (std::getline(steps, step, ',')) answers.push_back(Answer::parse(step));
  return answers;
}

TestReceiver::Options TestReceiver::Options::withCertificate(const std::string& name) {
  Options options;
  options.certificate = certificateFile(name + ".pem");
  options.key = certificateFile(name + ".key");
  return options;
}

class TestReceiver::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(TestReceiver& receiver) : receiver_(receiver) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Request recorded{request.getMethod(), request.getURI(), {}, {}};
    for (const auto& [name, value] : request) recorded.headers[name] = value;
    Poco::StreamCopier::copyToString(request.stream(), recorded.body);
    if (receiver_.options_.onRequest) receiver_.options_.onRequest(recorded);
    const Answer answer = receiver_.record(std::move(recorded));
    if (answer.status == kHang) receiver_.hang(answer.hangFor);
    if (answer.status == kHang || answer.status == kClose) {
      // Keep-alive is off, so returning without an answer ends the connection; the shutdown
      // makes the client see it at once.
      try {
        static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().shutdown();
      } catch (const Poco::Exception&) {
        // Already shut down by stop().
      }
      return;
    }
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (answer.retryAfterSeconds) {
      response.set("Retry-After", std::to_string(*answer.retryAfterSeconds));
    }
    for (const auto& [name, value] : answer.headers) response.set(name, value);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    response.send() << answer.body;
  }

 private:
  TestReceiver& receiver_;
};

class TestReceiver::HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit HandlerFactory(TestReceiver& receiver) : receiver_(receiver) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(receiver_);
  }

 private:
  TestReceiver& receiver_;
};

TestReceiver::TestReceiver() : TestReceiver(Options{}) {}

TestReceiver::TestReceiver(Options options) : options_(std::move(options)) {
  const Poco::Net::SocketAddress address("127.0.0.1", 0);
  std::unique_ptr<Poco::Net::ServerSocket> socket;
  if (options_.tls) {
    Poco::Net::Context::Params params;
    params.privateKeyFile = options_.key;
    params.certificateFile = options_.certificate;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
  } else {
    socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
  }
  port_ = socket->address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(16);
  params->setKeepAlive(false);
  server_ =
      std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(*this), threads_, *socket, params);
  server_->start();
}

TestReceiver::~TestReceiver() { stop(); }

void TestReceiver::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stopAll(true);  // also shuts down the connections being served
  threads_.joinAll();
}

std::string TestReceiver::url() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
         "/pings";
}

std::string TestReceiver::caFile() { return certificateFile("ca.pem"); }

void TestReceiver::script(std::vector<Answer> answers) {
  std::lock_guard lock(mutex_);
  script_.insert(script_.end(), answers.begin(), answers.end());
}

bool TestReceiver::waitForRequests(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

std::vector<TestReceiver::Request> TestReceiver::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::vector<std::string> TestReceiver::bodies() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const Request& request : requests_) out.push_back(request.body);
  return out;
}

TestReceiver::Answer TestReceiver::record(Request request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
  Answer answer;
  if (!script_.empty()) {
    answer = script_.front();
    script_.erase(script_.begin());
  }
  changed_.notify_all();
  return answer;
}

void TestReceiver::hang(std::optional<std::chrono::milliseconds> limit) {
  std::unique_lock lock(mutex_);
  if (limit) {
    changed_.wait_for(lock, *limit, [&] { return stopping_; });
  } else {
    changed_.wait(lock, [&] { return stopping_; });
  }
}

}  // namespace telemetry::test
