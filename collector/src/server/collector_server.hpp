// The running collector: its parts built from the configuration, and the HTTP(S) server.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "config/collector_config.hpp"
#include "endpoints/collector_context.hpp"
#include "http/http_server.hpp"
#include "server/request_router.hpp"

namespace telemetry::collector {

/// Owns everything a request touches; start() binds and serves, stop() drains requests
/// in flight, then the spool's writer and drain, so an accepted report is never lost on SIGTERM.
class CollectorServer {
 public:
  /// Loads the schema, opens the IP hash keys and the store, binds the socket. Throws on failure.
  explicit CollectorServer(CollectorConfig config);
  ~CollectorServer();
  CollectorServer(const CollectorServer&) = delete;
  CollectorServer& operator=(const CollectorServer&) = delete;

  /// Starts serving and logs "listening on ADDRESS".
  void start();
  void stop();
  /// The bound address with the real port (when the configuration said port 0).
  std::string boundAddress() const;

  /// The report schema installed beside the executable (<bin>/../share/telemetry/).
  static std::filesystem::path defaultSchemaFile();

 private:
  /// Recovers the spool (cutting a torn tail), rebuilds the recent reports from the store
  /// and the spool, then starts the spool's writer and drain.
  void openSpool();
  /// Stops taking reports into the spool, then stores what it holds (unless the store fails).
  void closeSpool();

  CollectorConfig config_;
  std::unique_ptr<ReportValidator> validator_;
  std::unique_ptr<IpKeyRing> ipKeys_;
  std::unique_ptr<ClientAddressResolver> resolver_;
  std::unique_ptr<RateLimiter> rateLimiter_;
  CollectorMetrics metrics_;  // before store_: its writer reports to it until it is joined
  std::unique_ptr<ReportStore> store_;
  std::unique_ptr<StatsCache> stats_;
  // Built in this order and torn down in reverse: the drain stores what the writer synced.
  std::unique_ptr<RecentReports> recent_;
  std::unique_ptr<SpoolDirectory> spoolDirectory_;
  SegmentLedger spoolSegments_;
  std::unique_ptr<SpoolWriter> spool_;
  std::unique_ptr<SpoolDrain> drain_;
  std::unique_ptr<CollectorContext> context_;
  std::unique_ptr<RequestRouter> router_;
  std::unique_ptr<HttpServer> server_;
  std::string boundAddress_;
  bool running_ = false;
};

}  // namespace telemetry::collector
