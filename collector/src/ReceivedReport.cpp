#include "ReceivedReport.hpp"

#include <Poco/Crypto/DigestEngine.h>
#include <Poco/JSON/Array.h>

#include "CompactJson.hpp"

namespace telemetry::collector {
namespace {

using Poco::JSON::Object;

std::string text(const Object::Ptr& object, const std::string& key) {
  return object && object->has(key) ? object->get(key).toString() : std::string();
}

std::string joined(const Object::Ptr& object, const std::string& key) {
  std::string out;
  if (!object) return out;
  if (auto array = object->getArray(key)) {
    for (const auto& item : *array) {
      if (!out.empty()) out += ',';
      out += item.toString();
    }
  }
  return out;
}

}  // namespace

ReceivedReport ReceivedReport::fromDocument(const Object::Ptr& document, std::string ipHash,
                                            std::string idempotencyKey, std::int64_t receivedAt) {
  ReceivedReport report;
  report.installation = text(document, "installation");
  report.ipHash = std::move(ipHash);
  report.idempotencyKey = std::move(idempotencyKey);
  report.receivedAt = receivedAt;

  report.payload = CompactJson::write(document);
  // OpenSSL's SHA-256 (through Poco::Crypto) uses the CPU's SHA instructions, Poco's own does
  // not; one engine per thread, as setting one up costs OpenSSL more than a report's digest.
  thread_local Poco::Crypto::DigestEngine sha("SHA256");
  sha.update(report.payload);
  report.payloadDigest = Poco::DigestEngine::digestToHex(sha.digest());

  const auto product = document->getObject("product");
  report.productVersion = text(product, "version");
  report.edition = text(product, "edition");
  const auto internals = product ? product->getObject("internals") : Object::Ptr();
  // The schema's initial report is the only shape that carries telemetry-enabled.
  report.initial = internals && internals->has("telemetry-enabled");
  report.telemetryEnabled = report.initial ? internals->getValue<bool>("telemetry-enabled") : true;
  if (!report.initial && internals) {
    report.databaseVendor = text(internals->getObject("database"), "vendor");
    report.applicationServerVendor = text(internals->getObject("application-server"), "vendor");
    if (auto jdk = internals->getObject("jdk"))
      report.jdk = text(jdk, "vendor") + " " + text(jdk, "version");
    report.integrations = joined(internals, "camunda-integration");
    report.webapps = joined(internals, "webapps");
  }
  return report;
}

}  // namespace telemetry::collector
