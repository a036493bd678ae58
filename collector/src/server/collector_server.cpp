#include "server/collector_server.hpp"

#include <Poco/Net/Context.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>

#include "config/collector_log.hpp"
#include "spool/spool_record.hpp"
#include "telemetry/http/server_tls.hpp"
#include "telemetry/settings/duration.hpp"
#include "telemetry/storage/database.hpp"

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
  IpKeyRing::Options keys;
  keys.keyFile = config_.ipKeyFile;
  keys.rotation = config_.ipKeyRotation;
  keys.keepPrevious = config_.ipKeyKeepPrevious;
  keys.legacySecretFile = config_.secretFile;
  ipKeys_ = std::make_unique<IpKeyRing>(std::move(keys));
  rateLimiter_ = std::make_unique<RateLimiter>(config_.ratePerMinute, config_.rateBurst);
  ReportStore::Options storeOptions;
  storeOptions.location = config_.store;
  storeOptions.readLocation = config_.storeRead;
  storeOptions.dedupWindow = config_.dedupWindow;
  storeOptions.committed = [this](std::size_t) { metrics_.countCommit(); };
  storeOptions.retention = config_.retention;
  storeOptions.expired = [this](std::size_t reports) { metrics_.countExpired(reports); };
  store_ = std::make_unique<ReportStore>(std::move(storeOptions));
  stats_ = std::make_unique<StatsCache>(
      [this](const StatsFilter& filter) { return store_->stats(filter); });
  openSpool();
  context_ = std::make_unique<CollectorContext>(
      CollectorContext{config_, *validator_, *ipKeys_, *resolver_, *rateLimiter_, *store_, metrics_,
                       *stats_, *recent_, *spool_, spoolSegments_, *drain_});

  router_ = std::make_unique<RequestRouter>(*context_);

  HttpServer::Options options;
  options.host = config_.listenHost;
  options.port = config_.listenPort;
  options.networkThreads = config_.networkThreads;
  options.maxConnections = config_.maxConnections;
  options.requestTimeout = config_.requestTimeout;
  options.keepAliveTimeout = config_.keepAliveTimeout;
  if (!config_.plainHttp) {
    try {
      options.tls = http::makeServerTlsContext(config_.tlsCert, config_.tlsKey);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(e.what());
    }
  }
  server_ = std::make_unique<HttpServer>(
      std::move(options), [this](const HttpRequest& head) { return router_->route(head); },
      HttpServer::Events{[this](int status) { metrics_.countResponse(status); },
                         [this] { metrics_.connectionOpened(); },
                         [this] { metrics_.connectionClosed(); },
                         [this] { metrics_.countRefusedConnection(); }, nullptr});
  boundAddress_ = server_->boundAddress();
}

CollectorServer::~CollectorServer() {
  stop();
  // Before the metrics its writer reports commits to, also when start() was never called.
  closeSpool();
  store_.reset();
}

void CollectorServer::openSpool() {
  recent_ = std::make_unique<RecentReports>(config_.dedupWindow);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  store_->forEachRecent(now - config_.dedupWindow.count(),
                        [this](const ReceivedReport& report) { recent_->remember(report); });
  try {
    spoolDirectory_ = std::make_unique<SpoolDirectory>(config_.spoolDirectory);
  } catch (const std::runtime_error& e) {
    throw ConfigError(std::string("spool: ") + e.what());
  }
  std::uint64_t next = 1;
  std::size_t spooled = 0;
  for (const auto& found : spoolDirectory_->recover([&](std::uint64_t, std::string_view payload) {
         try {
           recent_->remember(SpoolRecord::decode(payload));
           ++spooled;
         } catch (const SpoolFormatError&) {
           // The drain says so when it reaches it; the rest of the spool is still good.
         }
       })) {
    if (found.cut > 0) {
      CollectorLog::get()->warn(
          "spool: cut {} byte(s) after the last whole report of {} (a write that was never "
          "acknowledged, or the old bytes of a reused segment file)",
          found.cut, spoolDirectory_->segmentPath(found.segment).filename().string());
    }
    spoolSegments_.add({found.segment, found.length, true});
    next = found.segment + 1;
  }
  if (spooled > 0) {
    CollectorLog::get()->info("spool: {} report(s) from before the start wait to be stored",
                              spooled);
  }
  spool_ = std::make_unique<SpoolWriter>(
      *spoolDirectory_, spoolSegments_, next,
      SpoolWriter::Options{config_.spoolMaxSize, config_.spoolSegmentSize});
  drain_ = std::make_unique<SpoolDrain>(
      *spoolDirectory_, spoolSegments_, *store_, SpoolDrain::Options{config_.drainBatch},
      [this](const std::vector<StoreOutcome>& outcomes) { metrics_.countDrained(outcomes); });
}

void CollectorServer::closeSpool() {
  spool_.reset();
  // Nothing more is written: the drain deletes the last segment too once it is stored, so a
  // clean stop leaves an empty spool.
  spoolSegments_.sealNewest();
  drain_.reset();
}

void CollectorServer::start() {
  server_->start();
  running_ = true;
  const auto& server = server_->options();
  CollectorLog::get()->info(
      "connections: at most {}, {}s to send a request, {}s keep-alive, {} network threads",
      server.maxConnections, server.requestTimeout.count(), server.keepAliveTimeout.count(),
      server_->networkThreads());
  if (config_.retention.count() > 0) {
    CollectorLog::get()->info("retention: reports are deleted {} after they were received",
                              settings::formatDuration(config_.retention));
  } else {
    CollectorLog::get()->info("retention: forever (reports are never deleted)");
  }
  if (!config_.storeRead.empty()) {
    CollectorLog::get()->info("dashboard: reads from {} (store-read)",
                              storage::redactedLocation(config_.storeRead));
  }
  // The store, the logs and the listening socket need a few descriptors of their own, and
  // each network thread three (its epoll, eventfd and timerfd).
  const rlim_t reserved = 64 + 3 * static_cast<rlim_t>(server_->networkThreads());
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      server.maxConnections + reserved > files.rlim_cur) {
    CollectorLog::get()->warn(
        "connections.max is {} but the open-file limit is {}: beyond about {} connections "
        "accepting pauses until some close (raise the limit with ulimit -n or LimitNOFILE=)",
        server.maxConnections, files.rlim_cur, files.rlim_cur - std::min(files.rlim_cur, reserved));
  }
  // Last: scripts and tests take this line to mean start-up is over and logged.
  CollectorLog::get()->info("listening on {} ({})", boundAddress_,
                            config_.plainHttp ? "plain HTTP" : "HTTPS");
}

void CollectorServer::stop() {
  if (!running_) return;
  running_ = false;
  // Requests in flight wait on the spool; they are answered before it goes away.
  server_->stop(std::chrono::seconds(15));
  closeSpool();
  store_.reset();
  CollectorLog::get()->info("stopped");
}

std::string CollectorServer::boundAddress() const { return boundAddress_; }

}  // namespace telemetry::collector
