// A validated report as the store keeps it: the payload plus the figures the dashboard counts.
#pragma once

#include <rapidjson/fwd.h>

#include <cstdint>
#include <string>
#include <vector>

namespace telemetry::collector {

/// Built from a document that already passed ReportValidator; never holds the sender's IP.
struct ReceivedReport {
  std::string installation;
  bool initial = false;
  std::string idempotencyKey;  // empty when the sender gave none
  std::string ipHash;
  // The same address under the replaced IP hash keys still kept, newest first: a duplicate
  // re-sent after a key rotation still matches its original. Never stored.
  std::vector<std::string> formerIpHashes;
  std::string payloadDigest;  // SHA-256 hex of `payload`
  std::string payload;        // the document re-serialised without insignificant whitespace
  std::string productVersion;
  std::string edition;
  bool telemetryEnabled = false;  // initial reports say so; a full report implies it
  std::string databaseVendor;
  std::string applicationServerVendor;
  std::string jdk;              // "vendor version"
  std::string integrations;     // a ListColumn
  std::string webapps;          // a ListColumn
  std::int64_t receivedAt = 0;  // seconds since the Unix epoch

  /// `document` is the report's root object (ReportDocument::root()).
  static ReceivedReport fromDocument(const rapidjson::Value& document, std::string ipHash,
                                     std::string idempotencyKey, std::int64_t receivedAt);

  /// Ends the figures (version, edition, the section columns, each item of a list) at their
  /// first NUL character, as fromDocument does: PostgreSQL's text holds none, so both stores
  /// keep, and the summaries count, the same value. For reports spooled by older versions.
  void endFiguresAtNul();
};

}  // namespace telemetry::collector
