// One client connection of the HTTP server, over TLS or plain TCP: reads requests one after
// the other, hands each to its handler and writes the answer. Internal to HttpServer.
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <ctime>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/collector_log.hpp"
#include "http/http_connections.hpp"

namespace telemetry::collector {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

/// Stream is PlainStream or TlsStream. The session lives on one network thread (its
/// io_context runs nowhere else); answers from the worker pool or the store's writer and
/// stop requests from other threads are posted there.
template <class Stream>
class HttpSession final : public HttpConnection {
 public:
  template <class... StreamArgs>
  HttpSession(HttpConnections& shared, std::string peer, StreamArgs&&... streamArgs)
      : shared_(shared), stream_(std::forward<StreamArgs>(streamArgs)...), peer_(std::move(peer)) {}

  ~HttpSession() override {
    {
      std::lock_guard lock(shared_.mutex);
      if (shared_.open.erase(this) == 0) return;  // never started
    }
    if (shared_.events.connectionClosed) shared_.events.connectionClosed();
  }

  void start() override {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.open.insert(this);
    }
    if (shared_.events.connectionOpened) shared_.events.connectionOpened();
    if (shared_.stopping) return closeNow();  // accepted while the server was stopping
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // Idle until the client said hello: a port scan or a TCP health check must not hold
      // up a stop for the whole handshake timeout.
      idle_ = true;
      lowest().expires_after(shared_.requestTimeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = self()](beast::error_code error) {
                                self->idle_ = false;
                                if (!error) self->readHead(self->shared_.requestTimeout);
                              });
    } else {
      readHead(shared_.requestTimeout);
    }
  }

  void stopWhenIdle() override {
    boost::asio::post(stream_.get_executor(), [self = self()] {
      self->closing_ = true;
      if (self->idle_) self->closeNow();
    });
  }

  void close() override {
    boost::asio::post(stream_.get_executor(), [self = self()] { self->closeNow(); });
  }

 private:
  std::shared_ptr<HttpSession> self() {
    return std::static_pointer_cast<HttpSession>(shared_from_this());
  }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void readHead(std::chrono::seconds timeout) {
    if (closing_ || shared_.stopping) return closeNow();
    idle_ = true;
    headOnly_ = false;  // an answer to a broken next request is not a HEAD answer
    keepAlive_ = true;
    version_ = 11;
    parser_.emplace();
    parser_->header_limit(kMaxHead);
    // The handler sets the body's limit once it has seen the head (Beast's default would
    // refuse a large declared length before the handler could answer 413). Not boost::none:
    // Beast 1.74 compares the length with the optional, and any length exceeds "none".
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    lowest().expires_after(timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = self()](beast::error_code error, std::size_t) {
                               self->idle_ = false;
                               self->onHead(error);
                             });
  }

  void onHead(beast::error_code error) {
    if (error) return failedRead(error);
    const auto& head = parser_->get();
    request_ = HttpRequest{};
    request_.method = std::string(head.method_string());
    const auto target = head.target();
    const auto question = target.find('?');
    request_.path = std::string(target.substr(0, question));
    if (question != target.npos) request_.query = std::string(target.substr(question + 1));
    request_.peer = peer_;
    request_.headers.reserve(8);
    for (const auto& field : head) {
      request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (auto length = parser_->content_length()) request_.contentLength = *length;
    headOnly_ = head.method() == bhttp::verb::head;
    keepAlive_ = head.keep_alive();
    version_ = head.version() == 10 ? 10 : 11;
    if (version_ == 11 && head.find(bhttp::field::host) == head.end()) {
      return refuse(HttpResponse::error(400, "an HTTP/1.1 request needs a Host header"));
    }
    if (auto framing = refusedFraming(head)) return refuse(std::move(*framing));
    const auto expect = head[bhttp::field::expect];
    const bool expectsContinue = version_ == 11 && beast::iequals(expect, "100-continue");
    if (!expect.empty() && !expectsContinue) {
      return refuse(HttpResponse::error(417, "only Expect: 100-continue is supported"));
    }

    try {
      handler_ = shared_.handlers(request_);
      if (auto answer = handler_->screen(request_)) return refuse(std::move(*answer));
    } catch (const std::exception& e) {
      return failedHandler(e);
    }
    parser_->body_limit(handler_->maxBody());
    if (expectsContinue) return sendContinue();
    readBody();
  }

  // RFC 9112 6.1 and 6.3: a body framed by anything but a final "chunked" has no length the
  // server can trust, so what follows it could be read as another request (smuggling).
  // Refused before the body is read, and refuse() closes the connection.
  std::optional<HttpResponse> refusedFraming(const bhttp::request_header<>& head) const {
    std::vector<std::string> codings;
    bool present = false;
    for (const auto& field : head) {
      if (field.name() != bhttp::field::transfer_encoding) continue;
      present = true;
      for (const auto coding : bhttp::token_list(field.value())) {
        codings.emplace_back(coding.data(), coding.size());
      }
    }
    if (!present) return std::nullopt;
    if (version_ == 10) {
      return HttpResponse::error(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    }
    if (codings.empty() || !beast::iequals(codings.back(), "chunked")) {
      return HttpResponse::error(400, "Transfer-Encoding must end with chunked");
    }
    if (codings.size() > 1) {
      return HttpResponse::error(501, "only the chunked transfer coding is supported");
    }
    return std::nullopt;
  }

  // An answer sent before the body was read: the connection cannot carry another request.
  void refuse(HttpResponse answer) {
    answer.keepAlive = false;
    write(std::move(answer));
  }

  // curl and others wait for this before sending a body over 1 KiB.
  void sendContinue() {
    continue_.emplace(bhttp::status::continue_, parser_->get().version());
    bhttp::async_write(stream_, *continue_, [self = self()](beast::error_code error, std::size_t) {
      if (error) return self->closeNow();
      self->readBody();
    });
  }

  void readBody() {
    lowest().expires_after(shared_.requestTimeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = self()](beast::error_code error, std::size_t) { self->onBody(error); });
  }

  void onBody(beast::error_code error) {
    if (error == bhttp::error::body_limit) {
      auto answer = handler_->bodyTooLarge();
      answer.keepAlive = false;
      return write(std::move(answer));
    }
    if (error) return failedRead(error);
    lowest().expires_never();  // the handler may wait for the store; it answers in bounded time
    request_.body = parser_->release().body();
    // The job owns its request, handler and answered-flag: a handler on the worker pool may
    // still be running (throwing after it answered, say) when the connection already reads
    // the next request.
    auto request = std::make_shared<HttpRequest>(std::move(request_));
    std::shared_ptr<HttpHandler> handler = std::move(handler_);
    auto answered = std::make_shared<std::atomic<bool>>(false);
    HttpResponder respond = [self = self(), answered](HttpResponse answer) {
      if (answered->exchange(true)) return;  // a handler that threw after answering
      boost::asio::dispatch(
          self->stream_.get_executor(),
          [self, answer = std::move(answer)]() mutable { self->write(std::move(answer)); });
    };
    auto run = [handler, request, respond] { runHandler(*handler, *request, respond); };
    switch (handler->lane()) {
      case HttpLane::network:
        return run();
      case HttpLane::queries:
        return boost::asio::post(shared_.workers, std::move(run));
      case HttpLane::probes:
        return boost::asio::post(shared_.probes, std::move(run));
    }
  }

  // Nothing a handler throws may end the process or leave the client without an answer.
  static void runHandler(HttpHandler& handler, HttpRequest& request, const HttpResponder& respond) {
    try {
      handler.handle(request, respond);
    } catch (const std::exception& e) {
      CollectorLog::get()->error("{} {} failed: {}", request.method, request.path, e.what());
      respond(HttpResponse::error(500, "internal error"));
    }
  }

  void failedHandler(const std::exception& e) {
    CollectorLog::get()->error("{} {} failed: {}", request_.method, request_.path, e.what());
    refuse(HttpResponse::error(500, "internal error"));
  }

  void failedRead(beast::error_code error) {
    // A client that went away, stayed silent or broke TLS gets no answer; a request that
    // HTTP's grammar refuses does.
    const bool badRequest =
        error.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        error != bhttp::error::end_of_stream && error != bhttp::error::partial_message;
    if (!badRequest) return closeNow();
    auto answer = error == bhttp::error::header_limit
                      ? HttpResponse::error(431, "the request head is larger than 16 KiB")
                      : HttpResponse::error(400, "malformed HTTP request: " + error.message());
    answer.keepAlive = false;
    write(std::move(answer));
  }

  void write(HttpResponse answer) {
    keepAlive_ = keepAlive_ && answer.keepAlive && !closing_ && !shared_.stopping;
    response_.result(static_cast<unsigned>(answer.status));
    response_.version(version_);
    response_.clear();
    response_.set(bhttp::field::date, httpDate());
    if (!answer.contentType.empty()) response_.set(bhttp::field::content_type, answer.contentType);
    for (auto& [name, value] : answer.headers) response_.insert(name, value);
    response_.keep_alive(keepAlive_);
    response_.content_length(answer.body.size());
    response_.body() = headOnly_ ? std::string() : std::move(answer.body);
    if (shared_.events.answered) shared_.events.answered(answer.status);
    lowest().expires_after(shared_.requestTimeout);
    handler_.reset();
    serializer_.emplace(response_);
    auto done = [self = self()](beast::error_code error, std::size_t) { self->onWritten(error); };
    if (headOnly_) {  // its Content-Length is the GET answer's, with no body after it
      bhttp::async_write_header(stream_, *serializer_, std::move(done));
    } else {
      bhttp::async_write(stream_, *serializer_, std::move(done));
    }
  }

  void onWritten(beast::error_code error) {
    if (error) return closeNow();
    if (keepAlive_) return readHead(shared_.keepAliveTimeout);
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      // close_notify first, so the client can tell the end from a cut connection. The
      // shutdown waits for the client's own close_notify; it need not come.
      lowest().expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = self()](beast::error_code) { self->closeLingering(); });
    } else {
      closeLingering();
    }
  }

  // Closing with unread request bytes makes the kernel send a reset, which can destroy the
  // answer before the client read it; so stop sending, then read and drop what still comes.
  void closeLingering() {
    beast::error_code ignored;
    lowest().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(2));
    drain();
  }

  void drain() {
    buffer_.clear();  // what the client still sends is dropped unread
    lowest().async_read_some(buffer_.prepare(kDrainRead),
                             [self = self()](beast::error_code error, std::size_t) {
                               if (error || ++self->drained_ > kMaxDrainReads)
                                 return self->closeNow();
                               self->drain();
                             });
  }

  void closeNow() {
    beast::error_code ignored;
    lowest().socket().close(ignored);
  }

  // Date header text, formatted once a second per thread.
  static const std::string& httpDate() {
    thread_local std::time_t second = 0;
    thread_local std::string text;
    const std::time_t now = std::time(nullptr);
    if (now != second) {
      second = now;
      std::tm utc{};
      gmtime_r(&now, &utc);
      char buffer[64];
      text.assign(buffer, std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &utc));
    }
    return text;
  }

  static constexpr std::uint32_t kMaxHead = 16 * 1024;
  static constexpr std::size_t kDrainRead = 4096;
  static constexpr int kMaxDrainReads = 64;  // 64 x 4 KiB

  HttpConnections& shared_;
  Stream stream_;
  std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  bhttp::response<bhttp::string_body> response_;
  std::optional<bhttp::response_serializer<bhttp::string_body>> serializer_;
  std::unique_ptr<HttpHandler> handler_;
  HttpRequest request_;
  int drained_ = 0;
  bool idle_ = false;
  bool closing_ = false;
  bool headOnly_ = false;
  bool keepAlive_ = true;
  unsigned version_ = 11;  // the request's: an HTTP/1.0 client gets 1.0 keep-alive semantics
};

}  // namespace telemetry::collector
