#include "http/http_server.hpp"

// Boost 1.74's Asio uses std::exchange without including <utility> under C++20.
#include <utility>

#include <openssl/ssl.h>
#include <pthread.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/http_connections.hpp"
#include "http/http_session.hpp"

namespace telemetry::collector {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// One io_context per network thread, each running its connections alone: no strands, and
// answers that the store's writer posts for a whole batch wake each thread once.
class HttpServer::Impl {
 public:
  Impl(Options options, HandlerFactory handlers, Events events)
      : options_(std::move(options)),
        workers_(std::max<std::size_t>(1, options_.workerThreads)),
        probes_(std::max<std::size_t>(1, options_.probeThreads)),
        connections_(std::move(handlers), std::move(events), options_.requestTimeout,
                     options_.keepAliveTimeout, workers_, probes_) {
    const std::size_t threads = options_.networkThreads != 0
                                    ? options_.networkThreads
                                    : std::max(1U, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < threads; ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      // Creates the context's epoll instance and wake-up descriptors now: made lazily by its
      // first connection, their failure (out of descriptors) would end the process.
      asio::steady_timer(*contexts_.back());
    }
    acceptor_.emplace(*contexts_.front());
    retryAccept_.emplace(*contexts_.front());
    if (options_.tls) {
      // The same OpenSSL context (protocols, ciphers, certificate) our other HTTPS servers
      // build through Poco; Asio takes a reference of its own.
      SSL_CTX* native = options_.tls->sslContext();
      SSL_CTX_up_ref(native);
      tls_.emplace(native);
    }
    try {
      tcp::resolver resolver(*contexts_.front());
      const tcp::endpoint endpoint =
          resolver.resolve(options_.host, std::to_string(options_.port))->endpoint();
      acceptor_->open(endpoint.protocol());
      acceptor_->set_option(tcp::acceptor::reuse_address(true));
      acceptor_->bind(endpoint);
      acceptor_->listen(asio::socket_base::max_listen_connections);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + e.code().message());
    }
  }

  ~Impl() {
    // The sessions still queued in a context use connections_ and tls_: contexts go first.
    retryAccept_.reset();
    acceptor_.reset();
    contexts_.clear();
  }

  void start() {
    accept();
    threads_.reserve(contexts_.size());
    for (auto& context : contexts_) {
      // Keeps run() going while no socket has an operation pending, as when every
      // connection waits for the store, and after the acceptor closed during stop().
      work_.emplace_back(context->get_executor());
      threads_.emplace_back([&io = *context] { io.run(); });
      // Named from here, not from inside the thread, so every name is set once start()
      // returns (for top -H, perf and gdb, and the tests that count the threads).
      pthread_setname_np(threads_.back().native_handle(), "http-network");
    }
  }

  void stop(std::chrono::seconds drain) {
    if (threads_.empty()) return;
    connections_.stopping = true;
    asio::post(*contexts_.front(), [this] {
      boost::system::error_code ignored;
      acceptor_->close(ignored);
      retryAccept_->cancel();
    });
    connections_.forEach([](HttpConnection& connection) { connection.stopWhenIdle(); });
    const auto deadline = std::chrono::steady_clock::now() + drain;
    while (connections_.count() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (const auto busy = connections_.count(); busy > 0) {
      CollectorLog::get()->warn("stopping: closing {} connection(s) still busy after {}s", busy,
                                drain.count());
    }
    connections_.forEach([](HttpConnection& connection) { connection.close(); });
    // Closed sockets finish their operations with errors; then nothing keeps run() busy.
    for (int i = 0; i < 100 && connections_.count() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    work_.clear();
    for (auto& context : contexts_) context->stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    workers_.join();
    probes_.join();
  }

  std::string boundAddress() const {
    const auto endpoint = acceptor_->local_endpoint();
    const auto host = endpoint.address().to_string();
    const auto port = std::to_string(endpoint.port());
    return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
  }

  std::size_t openConnections() { return connections_.count(); }
  const Options& options() const { return options_; }
  std::size_t networkThreads() const { return contexts_.size(); }

 private:
  // Connections go to the network threads in turn.
  asio::io_context& nextContext() { return *contexts_[next_++ % contexts_.size()]; }

  void accept() {
    acceptor_->async_accept(
        nextContext(), [this](boost::system::error_code error, tcp::socket socket) {
          if (error == asio::error::operation_aborted || !acceptor_->is_open()) return;
          if (!error) {
            serve(std::move(socket));
            return accept();
          }
          // Out of file descriptors or memory: accepting again at once would spin on the same
          // error; pause, so the connections being served can finish and free some.
          if (connections_.events.acceptFailed) connections_.events.acceptFailed();
          const auto now = std::chrono::steady_clock::now();
          if (now - lastAcceptWarning_ > std::chrono::minutes(1)) {
            lastAcceptWarning_ = now;
            CollectorLog::get()->warn("cannot accept connections: {} (open: {})", error.message(),
                                      connections_.count());
          }
          retryAccept_->expires_after(options_.acceptRetryPause);
          retryAccept_->async_wait([this](boost::system::error_code waited) {
            if (!waited) accept();
          });
        });
  }

  static bool outOfResources(const boost::system::error_code& error) {
    return error == asio::error::no_descriptors || error == asio::error::no_buffer_space ||
           error == asio::error::no_memory || error.value() == ENFILE;
  }

  void serve(tcp::socket socket) {
    boost::system::error_code error;
    const auto peer = socket.remote_endpoint(error);
    if (error) return;
    if (connections_.count() >= options_.maxConnections) {
      const auto now = std::chrono::steady_clock::now();
      if (now - lastLimitWarning_ > std::chrono::minutes(1)) {
        lastLimitWarning_ = now;
        CollectorLog::get()->warn("{} connections open: closing new ones until some end",
                                  options_.maxConnections);
      }
      if (connections_.events.connectionRefused) connections_.events.connectionRefused();
      return;  // closes it
    }
    socket.set_option(tcp::no_delay(true), error);
    const auto address = peer.address();
    std::shared_ptr<HttpConnection> session;
    auto executor = socket.get_executor();
    if (tls_) {
      session = std::make_shared<HttpSession<TlsStream>>(connections_, address.to_string(),
                                                         std::move(socket), *tls_);
    } else {
      session = std::make_shared<HttpSession<PlainStream>>(connections_, address.to_string(),
                                                           std::move(socket));
    }
    // Started on its own thread: from then on only that thread touches it.
    asio::post(executor, [session] { session->start(); });
  }

  Options options_;
  asio::thread_pool workers_;
  asio::thread_pool probes_;
  HttpConnections connections_;
  std::optional<asio::ssl::context> tls_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::optional<tcp::acceptor> acceptor_;  // on the first context
  std::optional<asio::steady_timer> retryAccept_;
  std::chrono::steady_clock::time_point lastAcceptWarning_{};
  std::chrono::steady_clock::time_point lastLimitWarning_{};
  std::size_t next_ = 0;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

HttpServer::HttpServer(Options options, HandlerFactory handlers, Events events)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers), std::move(events))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() { impl_->start(); }

void HttpServer::stop(std::chrono::seconds drain) { impl_->stop(drain); }

std::string HttpServer::boundAddress() const { return impl_->boundAddress(); }

std::size_t HttpServer::openConnections() const { return impl_->openConnections(); }

const HttpServer::Options& HttpServer::options() const { return impl_->options(); }

std::size_t HttpServer::networkThreads() const { return impl_->networkThreads(); }

}  // namespace telemetry::collector
