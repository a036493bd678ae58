#include "telemetry/http/http_server.hpp"

#include <semaphore>
#include <stdexcept>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>

#include "received_request.hpp"
#include "telemetry/http/request_deadlines.hpp"

namespace telemetry::http {
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPRequestHandlerFactory;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The watch of the connection this thread serves: Poco makes the handler on the connection's
// own thread, with no way to pass the connection along.
thread_local RequestDeadlines::Watch* currentWatch = nullptr;

using Workers = std::counting_semaphore<>;

// Reads the whole request under its deadline, then waits for a worker to handle it.
class ReceivingHandler final : public HTTPRequestHandler {
 public:
  ReceivingHandler(std::unique_ptr<HTTPRequestHandler> inner, RequestDeadlines::Watch& watch,
                   Workers& workers, std::size_t maxBody)
      : inner_(std::move(inner)), watch_(watch), workers_(workers), maxBody_(maxBody) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    ReceivedRequest received(request, maxBody_);
    if (received.body() == ReceivedRequest::Body::incomplete) {
      response.setKeepAlive(false);
      if (!watch_.cutOff()) {
        response.setStatusAndReason(HTTPServerResponse::HTTP_BAD_REQUEST);
        response.setContentLength(0);
        response.send();
      }
      return;
    }
    // A body over the limit stays on the connection: the deadline still bounds draining it.
    if (received.body() == ReceivedRequest::Body::complete) watch_.disarm();
    {
      workers_.acquire();
      struct Release {
        Workers& workers;
        ~Release() { workers.release(); }
      } release{workers_};
      inner_->handleRequest(received, response);
    }
    watch_.arm();  // for the next request on a kept-alive connection
  }

 private:
  std::unique_ptr<HTTPRequestHandler> inner_;
  RequestDeadlines::Watch& watch_;
  Workers& workers_;
  std::size_t maxBody_;
};

class ReceivingHandlerFactory final : public HTTPRequestHandlerFactory {
 public:
  ReceivingHandlerFactory(HTTPRequestHandlerFactory::Ptr inner, Workers& workers,
                          std::size_t maxBody)
      : inner_(std::move(inner)), workers_(workers), maxBody_(maxBody) {}

  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    std::unique_ptr<HTTPRequestHandler> inner(inner_->createRequestHandler(request));
    if (!inner) return nullptr;
    if (currentWatch == nullptr) throw std::logic_error("a request outside a watched connection");
    return new ReceivingHandler(std::move(inner), *currentWatch, workers_, maxBody_);
  }

  /// What Poco's HTTPServer::stopAll tells its connections.
  void stopped(bool abortCurrent) { serverStopped(this, abortCurrent); }

 private:
  HTTPRequestHandlerFactory::Ptr inner_;
  Workers& workers_;
  std::size_t maxBody_;
};

// Poco's HTTP connection, watched from its first byte to its end.
class WatchedConnection final : public Poco::Net::TCPServerConnection {
 public:
  WatchedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    HTTPRequestHandlerFactory::Ptr factory, RequestDeadlines& deadlines)
      : TCPServerConnection(socket),
        params_(std::move(params)),
        factory_(std::move(factory)),
        deadlines_(deadlines) {}

  void run() override {
    const std::unique_ptr<RequestDeadlines::Watch> watch = deadlines_.watch(socket());
    currentWatch = watch.get();
    struct Forget {
      ~Forget() { currentWatch = nullptr; }
    } forget;
    Poco::Net::HTTPServerConnection(socket(), params_, factory_).run();
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  HTTPRequestHandlerFactory::Ptr factory_;
  RequestDeadlines& deadlines_;
};

class WatchedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  WatchedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           HTTPRequestHandlerFactory::Ptr factory, RequestDeadlines& deadlines)
      : params_(std::move(params)), factory_(std::move(factory)), deadlines_(deadlines) {}

  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new WatchedConnection(socket, params_, factory_, deadlines_);
  }

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  HTTPRequestHandlerFactory::Ptr factory_;
  RequestDeadlines& deadlines_;
};

Poco::Timespan timespan(std::chrono::milliseconds duration) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

}  // namespace

struct HttpServer::State {
  State(HTTPRequestHandlerFactory::Ptr inner, const HttpServerLimits& limits)
      : deadlines(limits.requestDeadline),
        workers(limits.workers),
        receiving(new ReceivingHandlerFactory(std::move(inner), workers, limits.maxBody)),
        factory(receiving),
        // Its own pool, so the server can't starve (or be starved by) other Poco users.
        pool(1, limits.connections) {}

  RequestDeadlines deadlines;
  Workers workers;
  ReceivingHandlerFactory* receiving;  // owned by factory
  HTTPRequestHandlerFactory::Ptr factory;
  Poco::ThreadPool pool;
  std::unique_ptr<Poco::Net::TCPServer> server;
  bool stopped = false;
};

HttpServer::HttpServer(HTTPRequestHandlerFactory::Ptr factory,
                       const Poco::Net::ServerSocket& socket, const HttpServerLimits& limits)
    : state_(std::make_unique<State>(std::move(factory), limits)) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(limits.connections);
  params->setMaxQueued(limits.queued);
  params->setTimeout(timespan(limits.ioTimeout));
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(timespan(limits.keepAliveTimeout));
  params->setServerName(limits.serverName);
  state_->server = std::make_unique<Poco::Net::TCPServer>(
      new WatchedConnectionFactory(params, state_->factory, state_->deadlines), state_->pool,
      socket, params);
}

HttpServer::~HttpServer() {
  try {
    stopAll(true);
  } catch (...) {
    // nothing left to tell anyone
  }
}

void HttpServer::start() { state_->server->start(); }

void HttpServer::stopAll(bool abortCurrent) {
  if (state_->stopped && !abortCurrent) return;
  state_->stopped = true;
  state_->server->stop();
  // A connection still reading its request holds Poco's lock that a graceful stop waits
  // for: requests not yet here are not in flight, so they end now.
  state_->deadlines.expireAll();
  state_->receiving->stopped(abortCurrent);
  // Requests still running use the handlers' state: none may outlive an aborting stop.
  if (abortCurrent) state_->pool.joinAll();
}

int HttpServer::currentConnections() const { return state_->server->currentConnections(); }

}  // namespace telemetry::http
