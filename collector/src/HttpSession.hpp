// One client connection of the HTTP server, over TLS or plain TCP: reads requests one after
// the other, hands each to its handler and writes the answer. Internal to HttpServer.
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <atomic>
#include <ctime>
#include <exception>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "CollectorLog.hpp"
#include "HttpConnections.hpp"

namespace telemetry::collector {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

/// Stream is PlainStream or TlsStream, on a strand of its own: answers from the worker pool
/// or the store's writer and stop requests arrive from other threads.
template <class Stream>
class HttpSession final : public HttpConnection {
 public:
  template <class... StreamArgs>
  HttpSession(HttpConnections& shared, std::string peer, StreamArgs&&... streamArgs)
      : shared_(shared), stream_(std::forward<StreamArgs>(streamArgs)...), peer_(std::move(peer)) {}

  ~HttpSession() override {
    std::lock_guard lock(shared_.mutex);
    shared_.open.erase(this);
  }

  void start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.open.insert(this);
    }
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      lowest().expires_after(shared_.requestTimeout);
      stream_.async_handshake(boost::asio::ssl::stream_base::server,
                              [self = self()](beast::error_code error) {
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
    if (closing_) return closeNow();
    idle_ = true;
    headOnly_ = false;  // an answer to a broken next request is not a HEAD answer
    keepAlive_ = true;
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
    request_.path = std::string(target.substr(0, target.find('?')));
    request_.peer = peer_;
    request_.headers.reserve(8);
    for (const auto& field : head) {
      request_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (auto length = parser_->content_length()) request_.contentLength = *length;
    headOnly_ = head.method() == bhttp::verb::head;
    keepAlive_ = head.keep_alive();

    try {
      handler_ = shared_.handlers(request_);
      if (auto answer = handler_->screen(request_)) {
        answer->keepAlive = false;  // the body stays unread
        return write(std::move(*answer));
      }
    } catch (const std::exception& e) {
      return failedHandler(e);
    }
    parser_->body_limit(handler_->maxBody());
    if (beast::iequals(head[bhttp::field::expect], "100-continue")) return sendContinue();
    readBody();
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
    answered_ = false;
    auto respond = [self = self()](HttpResponse answer) {
      if (self->answered_.exchange(true)) return;  // a handler that threw after answering
      boost::asio::dispatch(
          self->stream_.get_executor(),
          [self, answer = std::move(answer)]() mutable { self->write(std::move(answer)); });
    };
    if (handler_->blocks()) {
      boost::asio::post(shared_.workers, [self = self(), respond = std::move(respond)]() mutable {
        self->runHandler(std::move(respond));
      });
    } else {
      runHandler(std::move(respond));
    }
  }

  // Nothing a handler throws may end the process or leave the client without an answer.
  void runHandler(HttpResponder respond) {
    // Owned here while it runs: an answer given at once is written at once, and write()
    // must not destroy the handler under its own feet.
    const auto handler = std::move(handler_);
    try {
      handler->handle(request_, respond);
    } catch (const std::exception& e) {
      CollectorLog::get()->error("{} {} failed: {}", request_.method, request_.path, e.what());
      respond(HttpResponse::error(500, "internal error"));
    }
  }

  void failedHandler(const std::exception& e) {
    CollectorLog::get()->error("{} {} failed: {}", request_.method, request_.path, e.what());
    auto answer = HttpResponse::error(500, "internal error");
    answer.keepAlive = false;
    write(std::move(answer));
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
    keepAlive_ = keepAlive_ && answer.keepAlive && !closing_;
    response_.result(static_cast<unsigned>(answer.status));
    response_.version(11);
    response_.clear();
    response_.set(bhttp::field::date, httpDate());
    if (!answer.contentType.empty()) response_.set(bhttp::field::content_type, answer.contentType);
    for (auto& [name, value] : answer.headers) response_.insert(name, value);
    response_.keep_alive(keepAlive_);
    response_.content_length(answer.body.size());
    response_.body() = headOnly_ ? std::string() : std::move(answer.body);
    shared_.observer(answer.status);
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
    closeLingering();
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
    lowest().async_read_some(boost::asio::buffer(discard_),
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
  std::array<char, 4096> discard_{};
  int drained_ = 0;
  std::atomic<bool> answered_{false};
  bool idle_ = false;
  bool closing_ = false;
  bool headOnly_ = false;
  bool keepAlive_ = true;
};

}  // namespace telemetry::collector
