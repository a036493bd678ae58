#include "CollectorServer.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <thread>

#include "CollectorLog.hpp"
#include "RequestRouter.hpp"
#include "telemetry/http/server_tls.hpp"

namespace telemetry::collector {

std::filesystem::path CollectorServer::defaultSchemaFile() {
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    auto candidate = exe.parent_path().parent_path() / "share" / "telemetry" / "report.schema.json";
    if (std::filesystem::exists(candidate)) return candidate;
  }
  return "/usr/share/telemetry/report.schema.json";
}

CollectorServer::CollectorServer(CollectorConfig config) : config_(std::move(config)) {
  const auto schema = config_.schemaFile.empty() ? defaultSchemaFile() : config_.schemaFile;
  try {
    validator_ = std::make_unique<ReportValidator>(ReportValidator::fromFile(schema));
    resolver_ = std::make_unique<ClientAddressResolver>(config_.trustedProxies);
  } catch (const std::invalid_argument& e) {
    throw ConfigError(e.what());
  }
  hasher_ = std::make_unique<IpHasher>(IpHasher::fromSecretFile(config_.secretFile));
  rateLimiter_ = std::make_unique<RateLimiter>(config_.ratePerMinute, config_.rateBurst);
  store_ = std::make_unique<ReportStore>(
      ReportStore::Options{config_.store, config_.dedupWindow, 4096, 256});
  context_ = std::make_unique<CollectorContext>(CollectorContext{
      config_, *validator_, *hasher_, *resolver_, *rateLimiter_, *store_, metrics_});

  const Poco::Net::SocketAddress address(config_.listenHost, config_.listenPort);
  Poco::Net::ServerSocket socket;
  if (config_.plainHttp) {
    socket = Poco::Net::ServerSocket(address, 256);
  } else {
    Poco::Net::Context::Ptr tls;
    try {
      tls = http::makeServerTlsContext(config_.tlsCert, config_.tlsKey);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(e.what());
    }
    socket = Poco::Net::SecureServerSocket(address, 256, tls);
  }
  boundAddress_ = socket.address().toString();

  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(32);
  params->setMaxQueued(512);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(Poco::Timespan(10, 0));
  // A sender that stalls mid-request must not hold a thread for long.
  params->setTimeout(Poco::Timespan(15, 0));
  server_ = std::make_unique<Poco::Net::HTTPServer>(new RequestRouter(*context_), socket, params);
}

CollectorServer::~CollectorServer() { stop(); }

void CollectorServer::start() {
  server_->start();
  running_ = true;
  CollectorLog::get()->info("listening on {} ({})", boundAddress_,
                            config_.plainHttp ? "plain HTTP" : "HTTPS");
}

void CollectorServer::stop() {
  if (!running_) return;
  running_ = false;
  server_->stopAll(false);
  // Requests in flight wait on the store; let them finish before the store goes away.
  for (int i = 0; i < 300 && server_->currentConnections() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  store_.reset();
  CollectorLog::get()->info("stopped");
}

std::string CollectorServer::boundAddress() const { return boundAddress_; }

}  // namespace telemetry::collector
