// Counters the collector exposes on GET /metrics in the Prometheus text format.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "store/report_store.hpp"

namespace telemetry::collector {

/// Why a report (or deletion request) was turned away, one Prometheus label value each.
/// installationDeleted: a report of an installation deleted on request, dropped.
enum class RejectReason {
  notJson,
  tooLarge,
  malformed,
  invalid,
  overloaded,
  keyReused,
  installationDeleted,
  unsupportedEncoding,
  count
};

/// A report body's Content-Encoding, one Prometheus label value each.
enum class BodyEncoding { identity, gzip, count };

/// The spool's state at the time of a /metrics request.
struct SpoolFigures {
  std::uint64_t bytes = 0;
  std::uint64_t unstoredBytes = 0;
  std::uint64_t segments = 0;
  std::int64_t oldestUnstoredAge = 0;  // seconds; 0 when everything is stored
  std::uint64_t syncs = 0;
  std::uint64_t drained = 0;
  std::uint64_t refused = 0;
};

/// Lock-free counters; every request thread bumps them, /metrics reads them.
class CollectorMetrics {
 public:
  void countResponse(int status);
  void countReject(RejectReason reason);
  void countRateLimited();
  void countStored();
  void countDuplicate();
  /// A deletion request carried out (also a repeated one).
  void countDeletion();
  void countCommit();
  void countExpired(std::uint64_t reports);
  /// A batch the spool's drain committed: each report's outcome in the store.
  void countDrained(const std::vector<StoreOutcome>& outcomes);
  void countRefusedConnection();
  /// A report body as it came over the wire, and once decoded (inflated, for gzip).
  void countWireBytes(BodyEncoding encoding, std::uint64_t bytes);
  void countDecodedBytes(BodyEncoding encoding, std::uint64_t bytes);
  void connectionOpened();
  void connectionClosed();

  std::uint64_t responses(int status) const;
  std::uint64_t stored() const;

  /// The exposition text, with HELP and TYPE lines.
  std::string render() const;
  /// The spool's lines, in the same format.
  std::string renderSpool(const SpoolFigures& spool) const;

 private:
  std::array<std::atomic<std::uint64_t>, 600> responses_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(RejectReason::count)> rejects_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(BodyEncoding::count)>
      wireBytes_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(BodyEncoding::count)>
      decodedBytes_{};
  std::atomic<std::uint64_t> rateLimited_{0};
  std::atomic<std::uint64_t> stored_{0};
  std::atomic<std::uint64_t> duplicates_{0};
  std::atomic<std::uint64_t> deletions_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> expired_{0};
  std::atomic<std::uint64_t> drainedDuplicates_{0};
  std::atomic<std::uint64_t> refusedConnections_{0};
  std::atomic<std::int64_t> openConnections_{0};
};

}  // namespace telemetry::collector
