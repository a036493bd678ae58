#include "endpoints/import_handler.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <sstream>

#include "config/collector_log.hpp"
#include "import/report_importer.hpp"
#include "upload/html_page.hpp"
#include "upload/import_form.hpp"
#include "upload/import_result_page.hpp"
#include "upload/request_origin.hpp"

namespace telemetry::collector {
namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest sha256(const std::string& text) {
  Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

std::string answer(const ImportSummary& summary) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> json(text);
  json.StartObject();
  json.Key("stored");
  json.Uint64(summary.stored);
  json.Key("duplicates");
  json.Uint64(summary.duplicates);
  json.Key("dropped");
  json.Uint64(summary.deleted);
  json.Key("refused");
  json.StartArray();
  const std::size_t listed = std::min(summary.refused.size(), ImportHandler::kMaxListedRefusals);
  for (std::size_t i = 0; i < listed; ++i) {
    json.StartObject();
    json.Key("line");
    json.Uint64(summary.refused[i].line);
    json.Key("reason");
    json.String(summary.refused[i].reason.data(),
                static_cast<rapidjson::SizeType>(summary.refused[i].reason.size()));
    json.EndObject();
  }
  json.EndArray();
  json.Key("more-refused");
  json.Uint64(summary.refused.size() - listed);
  json.EndObject();
  return text.GetString();
}

// A browser asks for pages; curl and scripts send */* or application/json.
bool wantsHtml(const HttpRequest& head) {
  return Poco::toLower(head.headerList("Accept")).find("text/html") != std::string::npos;
}

}  // namespace

bool ImportHandler::authorized(const std::string& authorization, const std::string& token) {
  if (token.empty()) return false;
  // Digests of both: equal lengths, so the comparison leaks neither the token's length
  // nor the position of the first difference.
  const Digest expected = sha256("Bearer " + token);
  const Digest given = sha256(authorization);
  return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

std::optional<HttpResponse> ImportHandler::screen(const HttpRequest& head) {
  const std::string contentType = head.header("Content-Type");
  form_ = ImportForm::isForm(contentType);
  html_ = form_ || wantsHtml(head);
  if (context_.config.adminToken.empty()) {
    return forClient(HttpResponse::error(
        403, "uploads are disabled: the collector has no admin-token-file configured"));
  }
  IpKeyRing::Hashes ipHashes;  // used for the rate limit only: an upload stores no address
  if (auto refused = screenSender(context_, head, ipHashes)) return forClient(std::move(*refused));
  if (auto crossSite = RequestOrigin::crossSiteRefusal(head, context_.config.plainHttp)) {
    CollectorLog::get()->warn("POST /imports refused: {}", *crossSite);
    return forClient(HttpResponse::error(403, *crossSite));
  }
  if (form_) {
    // The token is in the body: checked in handle(), once the body is read.
    try {
      ImportForm::boundary(contentType);
    } catch (const ImportFormError& e) {
      return forClient(HttpResponse::error(400, e.what()));
    }
  } else if (!authorized(head.header("Authorization"), context_.config.adminToken)) {
    CollectorLog::get()->warn("POST /imports refused: missing or wrong admin token");
    auto refused =
        forClient(HttpResponse::error(401, "an admin token is required (Authorization: Bearer)"));
    refused.headers.emplace_back("WWW-Authenticate", "Bearer");
    return refused;
  }
  if (head.contentLength && *head.contentLength > kMaxBody) return bodyTooLarge();
  return std::nullopt;
}

HttpResponse ImportHandler::bodyTooLarge() {
  return forClient(HttpResponse::error(413, "an upload is at most " + std::to_string(kMaxBody) +
                                                " bytes; import larger files with "
                                                "'telemetry-collector import FILE'"));
}

HttpResponse ImportHandler::forClient(HttpResponse answer) const {
  if (!html_ || answer.contentType != "application/json") return answer;
  std::string message = "the upload was refused";
  try {
    const auto error = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
    message = error->optValue<std::string>("error", message);
  } catch (const Poco::Exception&) {
    // Every error answer is {"error": ...}; the fallback only keeps the page readable.
  }
  auto page = HtmlPage::response(answer.status, ImportResultPage::refusal(message));
  page.headers.insert(page.headers.end(), answer.headers.begin(), answer.headers.end());
  page.keepAlive = answer.keepAlive;
  return page;
}

std::optional<std::string> ImportHandler::formFile(HttpRequest& request,
                                                   const HttpResponder& respond) {
  ImportForm form;
  try {
    form = ImportForm::parse(std::move(request.body), request.header("Content-Type"));
  } catch (const ImportFormError& e) {
    respond(forClient(HttpResponse::error(400, e.what())));
    return std::nullopt;
  }
  if (!authorized("Bearer " + form.token, context_.config.adminToken)) {
    CollectorLog::get()->warn("POST /imports refused: wrong admin token in the upload form");
    respond(forClient(HttpResponse::error(403, "wrong admin token")));
    return std::nullopt;
  }
  return std::move(form.file);
}

void ImportHandler::handle(HttpRequest& request, HttpResponder respond) {
  ReportImporter::Limits limits;
  limits.maxLine = context_.config.maxBody + 1024;
  std::string file;
  if (!form_) {
    file = std::move(request.body);
  } else if (auto uploaded = formFile(request, respond)) {
    file = std::move(*uploaded);
  } else {
    return;
  }
  std::istringstream in(std::move(file));
  try {
    const auto summary = ReportImporter(context_.store, context_.validator, limits).import(in);
    for (std::size_t i = 0; i < summary.stored; ++i) context_.metrics.countStored();
    for (std::size_t i = 0; i < summary.duplicates; ++i) context_.metrics.countDuplicate();
    CollectorLog::get()->info("import: {} stored, {} duplicate(s), {} refused, {} dropped",
                              summary.stored, summary.duplicates, summary.refused.size(),
                              summary.deleted);
    if (html_) {
      respond(HtmlPage::response(200, ImportResultPage::render(summary, kMaxListedRefusals)));
    } else {
      respond(HttpResponse::json(200, answer(summary)));
    }
  } catch (const StoreOverloaded& e) {
    auto refused = HttpResponse::error(503, e.what());
    refused.headers.emplace_back("Retry-After", "1");
    respond(forClient(std::move(refused)));
  } catch (const std::exception& e) {
    CollectorLog::get()->error("import failed: {}", e.what());
    respond(forClient(HttpResponse::error(500, "the reports could not be stored")));
  }
}

}  // namespace telemetry::collector
