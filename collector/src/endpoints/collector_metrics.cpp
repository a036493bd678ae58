#include "endpoints/collector_metrics.hpp"

#include <sstream>
#include <string_view>

namespace telemetry::collector {
namespace {

constexpr std::array<const char*, static_cast<std::size_t>(RejectReason::count)> kReasons{
    "not_json",
    "too_large",
    "malformed",
    "invalid",
    "overloaded",
    "key_reused",
    "installation_deleted",
    "unsupported_encoding"};
constexpr std::array<const char*, static_cast<std::size_t>(BodyEncoding::count)> kEncodings{
    "identity", "gzip"};

// The families with labels; their names appear in several lines each.
constexpr std::string_view kRequests = "telemetry_collector_requests_total";
constexpr std::string_view kRejected = "telemetry_collector_rejected_total";
constexpr std::string_view kWireBytes = "telemetry_collector_report_wire_bytes_total";
constexpr std::string_view kDecodedBytes = "telemetry_collector_report_bytes_total";

/// The "# HELP" and "# TYPE" lines of one metric.
void describe(std::ostream& out, std::string_view name, std::string_view type,
              std::string_view help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

void CollectorMetrics::countResponse(int status) {
  if (status >= 0 && status < static_cast<int>(responses_.size())) {
    responses_[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  }
}

void CollectorMetrics::countReject(RejectReason reason) {
  rejects_[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed);
}

void CollectorMetrics::countRateLimited() { rateLimited_.fetch_add(1, std::memory_order_relaxed); }
void CollectorMetrics::countStored() { stored_.fetch_add(1, std::memory_order_relaxed); }
void CollectorMetrics::countDuplicate() { duplicates_.fetch_add(1, std::memory_order_relaxed); }
void CollectorMetrics::countDeletion() { deletions_.fetch_add(1, std::memory_order_relaxed); }

std::uint64_t CollectorMetrics::responses(int status) const {
  return responses_.at(static_cast<std::size_t>(status)).load(std::memory_order_relaxed);
}

void CollectorMetrics::countCommit() { commits_.fetch_add(1, std::memory_order_relaxed); }

void CollectorMetrics::countExpired(std::uint64_t reports) {
  expired_.fetch_add(reports, std::memory_order_relaxed);
}

void CollectorMetrics::countDrained(const std::vector<StoreOutcome>& outcomes) {
  std::uint64_t duplicates = 0;
  for (auto outcome : outcomes) {
    // Accepted (202) before its installation's deletion reached the store: dropped here.
    if (outcome == StoreOutcome::installationDeleted) {
      countReject(RejectReason::installationDeleted);
    } else if (outcome != StoreOutcome::stored) {
      ++duplicates;
    }
  }
  drainedDuplicates_.fetch_add(duplicates, std::memory_order_relaxed);
}

std::string CollectorMetrics::renderSpool(const SpoolFigures& spool) const {
  std::ostringstream out;
  const auto single = [&out](std::string_view name, std::string_view type, std::string_view help,
                             auto value) {
    describe(out, name, type, help);
    out << name << ' ' << value << '\n';
  };
  single("telemetry_collector_spool_bytes", "gauge",
         "Bytes in the spool's segments (accepted reports not yet deleted after storing).",
         spool.bytes);
  single("telemetry_collector_spool_unstored_bytes", "gauge",
         "Bytes of accepted reports the drain has not stored yet; 0 once all are.",
         spool.unstoredBytes);
  single("telemetry_collector_spool_segments", "gauge", "Segment files in the spool.",
         spool.segments);
  single("telemetry_collector_spool_oldest_unstored_seconds", "gauge",
         "Age of the oldest accepted report not yet in the store; 0 when all are.",
         spool.oldestUnstoredAge);
  single("telemetry_collector_spool_syncs_total", "counter",
         "Groups of reports written to the spool, one fdatasync each.", spool.syncs);
  single("telemetry_collector_spool_drained_total", "counter",
         "Reports moved from the spool into the store (rate() is the drain rate).", spool.drained);
  single("telemetry_collector_spool_refused_total", "counter",
         "Spooled reports the store refused while it stored others; kept in the spool's "
         "refused.records, never retried.",
         spool.refused);
  single("telemetry_collector_spool_drained_duplicates_total", "counter",
         "Drained reports the store already held (replayed after a restart, or sent to two "
         "collectors at once).",
         drainedDuplicates_.load(std::memory_order_relaxed));
  return out.str();
}

void CollectorMetrics::countRefusedConnection() {
  refusedConnections_.fetch_add(1, std::memory_order_relaxed);
}

void CollectorMetrics::connectionOpened() {
  openConnections_.fetch_add(1, std::memory_order_relaxed);
}

void CollectorMetrics::connectionClosed() {
  openConnections_.fetch_sub(1, std::memory_order_relaxed);
}

void CollectorMetrics::countWireBytes(BodyEncoding encoding, std::uint64_t bytes) {
  wireBytes_[static_cast<std::size_t>(encoding)].fetch_add(bytes, std::memory_order_relaxed);
}

void CollectorMetrics::countDecodedBytes(BodyEncoding encoding, std::uint64_t bytes) {
  decodedBytes_[static_cast<std::size_t>(encoding)].fetch_add(bytes, std::memory_order_relaxed);
}

std::uint64_t CollectorMetrics::stored() const { return stored_.load(std::memory_order_relaxed); }

std::string CollectorMetrics::render() const {
  std::ostringstream out;
  describe(out, kRequests, "counter", "HTTP responses by status code.");
  for (std::size_t status = 100; status < responses_.size(); ++status) {
    const auto n = responses_[status].load(std::memory_order_relaxed);
    if (n != 0) out << kRequests << "{status=\"" << status << "\"} " << n << '\n';
  }
  describe(out, kRejected, "counter", "Reports turned away, by reason.");
  for (std::size_t i = 0; i < kReasons.size(); ++i) {
    out << kRejected << "{reason=\"" << kReasons[i] << "\"} "
        << rejects_[i].load(std::memory_order_relaxed) << '\n';
  }
  describe(out, kWireBytes, "counter",
           "Bytes of report bodies as received (compressed or not), by Content-Encoding.");
  for (std::size_t i = 0; i < kEncodings.size(); ++i) {
    out << kWireBytes << "{encoding=\"" << kEncodings[i] << "\"} "
        << wireBytes_[i].load(std::memory_order_relaxed) << '\n';
  }
  describe(out, kDecodedBytes, "counter",
           "Bytes of report bodies once decoded (inflated for gzip), by Content-Encoding.");
  for (std::size_t i = 0; i < kEncodings.size(); ++i) {
    out << kDecodedBytes << "{encoding=\"" << kEncodings[i] << "\"} "
        << decodedBytes_[i].load(std::memory_order_relaxed) << '\n';
  }
  // One value each: name, type, help.
  const auto single = [&out](std::string_view name, std::string_view type, std::string_view help,
                             auto value) {
    describe(out, name, type, help);
    out << name << ' ' << value << '\n';
  };
  single("telemetry_collector_rate_limited_total", "counter", "Requests answered 429.",
         rateLimited_.load());
  single("telemetry_collector_reports_stored_total", "counter", "Reports durably stored.",
         stored_.load());
  single("telemetry_collector_duplicates_total", "counter", "Reports recognised as duplicates.",
         duplicates_.load());
  single("telemetry_collector_deletions_total", "counter",
         "Deletion requests carried out (POST /deletions answered 202).", deletions_.load());
  single("telemetry_collector_store_commits_total", "counter",
         "Store transactions committed (reports stored per commit show how well group commit"
         " works).",
         commits_.load());
  single("telemetry_collector_reports_expired_total", "counter",
         "Reports deleted because they were older than the configured retention.", expired_.load());
  single("telemetry_collector_connections_open", "gauge", "Client connections open now.",
         openConnections_.load());
  single("telemetry_collector_connections_refused_total", "counter",
         "Connections closed at once because the connection limit was reached.",
         refusedConnections_.load());
  return out.str();
}

}  // namespace telemetry::collector
