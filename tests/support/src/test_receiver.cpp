#include "telemetry/test/test_receiver.hpp"

#include <stdexcept>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

namespace telemetry::test {

std::string certificateFile(const std::string& name) {
  return std::string(TELEMETRY_TEST_CERTS_DIR) + "/" + name;
}

class TestReceiver::Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(TestReceiver& receiver) : receiver_(receiver) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    Request recorded{request.getMethod(), request.getURI(), {}, {}};
    for (const auto& [name, value] : request) recorded.headers[name] = value;
    Poco::StreamCopier::copyToString(request.stream(), recorded.body);
    Answer answer = receiver_.record(std::move(recorded));
    if (answer.status == kHang) {
      receiver_.waitWhileRunning();
      throw std::runtime_error("hung up");  // Poco closes the connection
    }
    if (answer.status == kClose) throw std::runtime_error("closed without an answer");
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (answer.retryAfterSeconds) {
      response.set("Retry-After", std::to_string(*answer.retryAfterSeconds));
    }
    response.setContentType("application/json");
    response.send() << "{}";
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
    params.privateKeyFile = certificateFile(options_.certificate + ".key");
    params.certificateFile = certificateFile(options_.certificate + ".pem");
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
  server_ = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory(*this), *socket, params);
  server_->start();
}

TestReceiver::~TestReceiver() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  server_->stopAll(true);
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

void TestReceiver::waitWhileRunning() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stopping_; });
}

}  // namespace telemetry::test
