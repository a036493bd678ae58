#include "telemetry/storage/database.hpp"

#include <algorithm>
#include <filesystem>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/URI.h>

namespace telemetry::storage {

using namespace Poco::Data::Keywords;

bool isPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

namespace {

/// Where the user info of a postgresql:// URL lies: [begin, at), with `at` the '@' before the
/// host. The last '@' before the first '/', '?' or '#' ends it, so an unencoded '@' or ':' in
/// a password still works; '/', '?' and '#' must be percent-encoded.
struct UserInfoSpan {
  std::size_t begin = 0;
  std::size_t at = std::string::npos;  ///< npos: no user info
};

UserInfoSpan userInfoSpan(std::string_view url) {
  UserInfoSpan span;
  span.begin = url.find("://") + 3;
  const std::size_t end = std::min(url.find_first_of("/?#", span.begin), url.size());
  const std::size_t at = url.rfind('@', end == 0 ? 0 : end - 1);
  if (at != std::string_view::npos && at >= span.begin && at < end) span.at = at;
  return span;
}

std::string percentDecoded(const std::string& text, const std::string& url) {
  std::string out;
  try {
    Poco::URI::decode(text, out);
  } catch (const Poco::SyntaxException&) {
    throw Poco::SyntaxException(
        "the user name or password of the postgresql:// URL is not percent-encoded right: "
        "'%' must be followed by two hex digits (write %25 for %)",
        redactedLocation(url));
  }
  return out;
}

}  // namespace

std::string libpqConnectionString(const std::string& url) {
  const UserInfoSpan span = userInfoSpan(url);
  std::string userInfo;
  std::string withoutUserInfo = url;
  if (span.at != std::string::npos) {
    userInfo = url.substr(span.begin, span.at - span.begin);
    withoutUserInfo = url.substr(0, span.begin) + url.substr(span.at + 1);
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(withoutUserInfo);
  } catch (const Poco::SyntaxException&) {
    // Poco's message quotes the part it choked on, which may be the password (a '/', '?' or
    // '#' in it ends the host part early).
    throw Poco::SyntaxException(
        "not a valid postgresql:// URL (characters such as ? # % in the "
        "password must be percent-encoded)",
        redactedLocation(url));
  }
  auto quoted = [](const std::string& value) {
    std::string out = "'";
    for (char c : value) {
      if (c == '\\' || c == '\'') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string out;
  auto add = [&](const std::string& key, const std::string& value) {
    if (value.empty()) return;
    // Poco's connector splits its connection string at every space, quoted or not.
    if (value.find_first_of(" \t\r\n") != std::string::npos) {
      throw Poco::SyntaxException(
          "the " + key +
              " in the postgresql:// URL contains a space, which Poco's PostgreSQL connector "
              "can't pass on" +
              (key == "password" ? "; leave it out of the URL and put it in a .pgpass file "
                                   "(PGPASSFILE) or PGPASSWORD, where libpq finds it"
                                 : ""),
          redactedLocation(url));
    }
    out += (out.empty() ? "" : " ") + key + "=" + quoted(value);
  };
  add("host", uri.getHost());
  if (uri.getPort() != 0) add("port", std::to_string(uri.getPort()));
  const auto colon = userInfo.find(':');
  add("user", percentDecoded(userInfo.substr(0, colon), url));
  if (colon != std::string::npos) add("password", percentDecoded(userInfo.substr(colon + 1), url));
  add("dbname", uri.getPath().empty() ? std::string() : uri.getPath().substr(1));
  for (const auto& [key, value] : uri.getQueryParameters()) add(key, value);
  return out;
}

std::string redactedLocation(const std::string& location) {
  if (!isPostgresUrl(location)) return location;
  UserInfoSpan span = userInfoSpan(location);
  // A '/', '?' or '#' left unencoded in the password hides its '@' from the rule above: hide
  // everything up to the last '@' rather than show a piece of the password.
  if (span.at == std::string::npos) span.at = location.rfind('@');
  if (span.at == std::string::npos || span.at < span.begin) return location;
  const auto colon = location.find(':', span.begin);
  if (colon == std::string::npos || colon > span.at) return location;
  return location.substr(0, colon + 1) + "***" + location.substr(span.at);
}

Database openDatabase(const std::string& location) {
  if (isPostgresUrl(location)) {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    auto session =
        std::make_unique<Poco::Data::Session>("PostgreSQL", libpqConnectionString(location));
    // libpq prints NOTICEs ("already exists, skipping") on stderr: not the product's business.
    *session << "SET client_min_messages = warning", now;
    return {std::move(session), SqlDialect(true)};
  }
  Poco::Data::SQLite::Connector::registerConnector();
  const std::filesystem::path file(location);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  auto session = std::make_unique<Poco::Data::Session>("SQLite", location);
  // Another process (a CLI call, a second node) may hold the lock briefly: wait for it, long
  // enough that a slow disk's sync under contention does not cost a usage count.
  *session << "PRAGMA busy_timeout = 30000", now;
  return {std::move(session), SqlDialect(false)};
}

}  // namespace telemetry::storage
