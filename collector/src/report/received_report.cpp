#include "report/received_report.hpp"

#include <Poco/Crypto/DigestEngine.h>
#include <rapidjson/document.h>

#include "report/compact_json.hpp"
#include "report/json_value.hpp"
#include "report/list_column.hpp"
#include "report/section_columns.hpp"

namespace telemetry::collector {
namespace {

using rapidjson::Value;

// A string up to its first NUL character (JSON's \u0000): PostgreSQL's text holds none, so
// both stores keep the same value, and the summaries count what the store holds. The
// payload keeps it, escaped.
std::string upToNul(std::string_view text) { return std::string(text.substr(0, text.find('\0'))); }

// A member as text: a string as it is, anything else (the schema rules it out) as JSON.
std::string text(const Value* object, std::string_view key) {
  const Value* value = object ? findMember(*object, key) : nullptr;
  if (!value) return {};
  return value->IsString() ? upToNul(textOf(*value)) : CompactJson::write(*value);
}

std::string joined(const Value* object, std::string_view key) {
  std::string out;
  const Value* array = object ? findMember(*object, key) : nullptr;
  if (!array || !array->IsArray()) return out;
  for (const auto& item : array->GetArray()) {
    ListColumn::append(out, item.IsString() ? upToNul(textOf(item)) : CompactJson::write(item));
  }
  return out;
}

// A member that is an object, else nullptr.
const Value* object(const Value* parent, std::string_view key) {
  const Value* value = parent ? findMember(*parent, key) : nullptr;
  return value && value->IsObject() ? value : nullptr;
}

// A column's text from its section of product.internals; "" when the report lacks it.
std::string columnText(const Value* internals, const SectionColumn& column) {
  switch (column.source) {
    case ColumnSource::vendor:
      return text(object(internals, column.section), "vendor");
    case ColumnSource::vendorAndVersion:
      if (const Value* section = object(internals, column.section))
        return text(section, "vendor") + " " + text(section, "version");
      return {};
    case ColumnSource::list:
      return joined(internals, column.section);
  }
  return {};
}

}  // namespace

void ReceivedReport::endFiguresAtNul() {
  productVersion = upToNul(productVersion);
  edition = upToNul(edition);
  for (const SectionColumn& column : kSectionColumns) {
    std::string& figure = this->*column.field;
    if (figure.find('\0') == std::string::npos) continue;
    if (column.source != ColumnSource::list) {
      figure = upToNul(figure);
      continue;
    }
    std::string items;
    for (const auto& item : ListColumn::split(figure)) ListColumn::append(items, upToNul(item));
    figure = std::move(items);
  }
}

ReceivedReport ReceivedReport::fromDocument(const Value& document, std::string ipHash,
                                            std::string idempotencyKey, std::int64_t receivedAt) {
  ReceivedReport report;
  report.installation = text(&document, "installation");
  report.ipHash = std::move(ipHash);
  report.idempotencyKey = std::move(idempotencyKey);
  report.receivedAt = receivedAt;

  report.payload = CompactJson::write(document);
  // OpenSSL's SHA-256 (through Poco::Crypto) uses the CPU's SHA instructions, Poco's own does
  // not; one engine per thread, as setting one up costs OpenSSL more than a report's digest.
  thread_local Poco::Crypto::DigestEngine sha("SHA256");
  sha.update(report.payload);
  report.payloadDigest = Poco::DigestEngine::digestToHex(sha.digest());

  const Value* product = object(&document, "product");
  report.productVersion = text(product, "version");
  report.edition = text(product, "edition");
  const Value* internals = object(product, "internals");
  // The schema's initial report is the only shape that carries telemetry-enabled.
  const Value* enabled = internals ? findMember(*internals, "telemetry-enabled") : nullptr;
  report.initial = enabled != nullptr;
  report.telemetryEnabled = report.initial ? enabled->IsTrue() : true;
  if (!report.initial && internals) {
    for (const SectionColumn& column : kSectionColumns) {
      report.*column.field = columnText(internals, column);
    }
  }
  return report;
}

}  // namespace telemetry::collector
