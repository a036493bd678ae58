#include "telemetry/storage/database.hpp"

#include <filesystem>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/URI.h>

namespace telemetry::storage {

using namespace Poco::Data::Keywords;

bool isPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string libpqConnectionString(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::SyntaxException&) {
    // Poco's message quotes the part it choked on, which may be the password (a '/' or '#'
    // in it ends the host part early).
    throw Poco::SyntaxException("not a valid postgresql:// URL (characters such as / # ? @ "
                                "in the password must be percent-encoded)",
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
    if (!value.empty()) out += (out.empty() ? "" : " ") + key + "=" + quoted(value);
  };
  add("host", uri.getHost());
  if (uri.getPort() != 0) add("port", std::to_string(uri.getPort()));
  const std::string userInfo = uri.getUserInfo();
  const auto colon = userInfo.find(':');
  add("user", userInfo.substr(0, colon));
  if (colon != std::string::npos) add("password", userInfo.substr(colon + 1));
  add("dbname", uri.getPath().empty() ? std::string() : uri.getPath().substr(1));
  for (const auto& [key, value] : uri.getQueryParameters()) add(key, value);
  return out;
}

std::string redactedLocation(const std::string& location) {
  if (!isPostgresUrl(location)) return location;
  const auto schemeEnd = location.find("://") + 3;
  const auto at = location.find('@', schemeEnd);
  if (at == std::string::npos) return location;
  const auto colon = location.find(':', schemeEnd);
  if (colon == std::string::npos || colon > at) return location;
  return location.substr(0, colon + 1) + "***" + location.substr(at);
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
