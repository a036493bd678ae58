#include "HttpServer.hpp"

// Boost 1.74's Asio uses std::exchange without including <utility> under C++20.
#include <utility>

#include <openssl/ssl.h>
#include <pthread.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "HttpConnections.hpp"
#include "HttpSession.hpp"

namespace telemetry::collector {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class HttpServer::Impl {
 public:
  Impl(Options options, HandlerFactory handlers, AnswerObserver observer)
      : options_(std::move(options)),
        networkThreads_(options_.networkThreads != 0
                            ? options_.networkThreads
                            : std::max(1U, std::thread::hardware_concurrency())),
        workers_(std::max<std::size_t>(1, options_.workerThreads)),
        connections_(std::move(handlers), std::move(observer), options_.requestTimeout,
                     options_.keepAliveTimeout, workers_),
        io_(static_cast<int>(networkThreads_)),
        acceptor_(io_) {
    if (options_.tls) {
      // The same OpenSSL context (protocols, ciphers, certificate) our other HTTPS servers
      // build through Poco; Asio takes a reference of its own.
      SSL_CTX* native = options_.tls->sslContext();
      SSL_CTX_up_ref(native);
      tls_.emplace(native);
    }
    try {
      tcp::resolver resolver(io_);
      const tcp::endpoint endpoint =
          resolver.resolve(options_.host, std::to_string(options_.port))->endpoint();
      acceptor_.open(endpoint.protocol());
      acceptor_.set_option(tcp::acceptor::reuse_address(true));
      acceptor_.bind(endpoint);
      acceptor_.listen(asio::socket_base::max_listen_connections);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" +
                               std::to_string(options_.port) + ": " + e.code().message());
    }
  }

  void start() {
    accept();
    // Keeps run() going while no socket has an operation pending, as when every connection
    // waits for the store, and after the acceptor closed during stop().
    work_.emplace(io_.get_executor());
    threads_.reserve(networkThreads_);
    for (std::size_t i = 0; i < networkThreads_; ++i) {
      threads_.emplace_back([this] {
        pthread_setname_np(pthread_self(), "http-network");  // for top -H, perf and gdb
        io_.run();
      });
    }
  }

  void stop(std::chrono::seconds drain) {
    if (threads_.empty()) return;
    connections_.stopping = true;
    asio::post(io_, [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      retryAccept_.cancel();
    });
    connections_.forEach([](HttpConnection& connection) { connection.stopWhenIdle(); });
    const auto deadline = std::chrono::steady_clock::now() + drain;
    while (connections_.count() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    connections_.forEach([](HttpConnection& connection) { connection.close(); });
    // Closed sockets finish their operations with errors; then nothing keeps run() busy.
    for (int i = 0; i < 100 && connections_.count() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    work_.reset();
    io_.stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    workers_.join();
  }

  std::string boundAddress() const {
    const auto endpoint = acceptor_.local_endpoint();
    const auto host = endpoint.address().to_string();
    const auto port = std::to_string(endpoint.port());
    return endpoint.address().is_v6() ? "[" + host + "]:" + port : host + ":" + port;
  }

  std::size_t openConnections() { return connections_.count(); }

 private:
  void accept() {
    acceptor_.async_accept(asio::make_strand(io_),
                           [this](boost::system::error_code error, tcp::socket socket) {
                             if (error == asio::error::operation_aborted || !acceptor_.is_open())
                               return;
                             if (!error) {
                               serve(std::move(socket));
                               return accept();
                             }
                             // Out of file descriptors or memory: accepting again at once would
                             // spin on the same error; pause, so the connections being served can
                             // finish and free some.
                             const auto now = std::chrono::steady_clock::now();
                             if (now - lastAcceptWarning_ > std::chrono::minutes(1)) {
                               lastAcceptWarning_ = now;
                               CollectorLog::get()->warn("cannot accept connections: {} (open: {})",
                                                         error.message(), connections_.count());
                             }
                             retryAccept_.expires_after(std::chrono::milliseconds(100));
                             retryAccept_.async_wait([this](boost::system::error_code waited) {
                               if (!waited) accept();
                             });
                           });
  }

  void serve(tcp::socket socket) {
    boost::system::error_code error;
    const auto peer = socket.remote_endpoint(error);
    if (error || connections_.count() >= options_.maxConnections) return;  // closes it
    socket.set_option(tcp::no_delay(true), error);
    auto address = peer.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    if (tls_) {
      std::make_shared<HttpSession<TlsStream>>(connections_, address.to_string(), std::move(socket),
                                               *tls_)
          ->start();
    } else {
      std::make_shared<HttpSession<PlainStream>>(connections_, address.to_string(),
                                                 std::move(socket))
          ->start();
    }
  }

  // Declared so that io_ goes first: destroying it destroys the handlers still queued,
  // and with them sessions that use connections_ and tls_.
  Options options_;
  std::size_t networkThreads_;
  asio::thread_pool workers_;
  HttpConnections connections_;
  std::optional<asio::ssl::context> tls_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  asio::steady_timer retryAccept_{io_};
  std::chrono::steady_clock::time_point lastAcceptWarning_{};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

HttpServer::HttpServer(Options options, HandlerFactory handlers, AnswerObserver observer)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers), std::move(observer))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() { impl_->start(); }

void HttpServer::stop(std::chrono::seconds drain) { impl_->stop(drain); }

std::string HttpServer::boundAddress() const { return impl_->boundAddress(); }

std::size_t HttpServer::openConnections() const { return impl_->openConnections(); }

}  // namespace telemetry::collector
