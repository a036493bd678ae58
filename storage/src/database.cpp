#include "telemetry/storage/database.hpp"

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/URI.h>

#include "telemetry/storage/store_file_error.hpp"

namespace telemetry::storage {

using namespace Poco::Data::Keywords;

namespace {

namespace fs = std::filesystem;

std::string systemError(int error) { return std::strerror(error); }

/// Creates a missing store file atomically: written as an SQLite file of mode 0600 under a
/// temporary name, then linked into place. So nobody ever finds it empty (an empty store is
/// refused), and its -wal, -shm and -journal, which SQLite creates with the main file's
/// mode, are private too. Returns false when another process created it first.
bool createPrivateFile(const fs::path& file) {
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  std::string temporary = file.string() + ".new-XXXXXX";
  const int fd = ::mkstemp(temporary.data());  // mode 0600
  if (fd < 0) {
    throw StoreFileError(file, "cannot be created: " + systemError(errno),
                         StoreFileError::Kind::unusable);
  }
  ::close(fd);
  try {
    Poco::Data::Session session("SQLite", temporary);
    // Any write makes SQLite lay down its header: the file is a database from now on.
    session << "PRAGMA user_version = 0", now;
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  const int linked = ::link(temporary.c_str(), file.c_str()) == 0 ? 0 : errno;
  ::unlink(temporary.c_str());
  if (linked == EEXIST) return false;
  if (linked != 0) {
    throw StoreFileError(file, "cannot be created: " + systemError(linked),
                         StoreFileError::Kind::unusable);
  }
  return true;
}

/// Refuses at once what SQLite would open slowly, wrongly or not at all.
void checkExistingFile(const fs::path& file) {
  struct stat status {};
  if (::stat(file.c_str(), &status) != 0) {
    throw StoreFileError(file, "cannot be opened: " + systemError(errno),
                         StoreFileError::Kind::unusable);
  }
  if (S_ISDIR(status.st_mode)) {
    throw StoreFileError(file, "is a directory, not a store file", StoreFileError::Kind::directory);
  }
  if (!S_ISREG(status.st_mode)) {
    throw StoreFileError(file, "is not a regular file", StoreFileError::Kind::unusable);
  }
  if (status.st_size == 0) {
    throw StoreFileError(file,
                         "is empty (0 bytes): no store is ever left empty, so it lost what "
                         "it held or was never one",
                         StoreFileError::Kind::damaged);
  }
  if (::access(file.c_str(), R_OK | W_OK) != 0) {
    throw StoreFileError(file,
                         "cannot be read and written by this user (" + systemError(errno) +
                             "); run as the user that owns it",
                         StoreFileError::Kind::unusable);
  }
}

std::unique_ptr<Poco::Data::Session> openSqliteFile(const std::string& location) {
  const fs::path file(location);
  std::error_code ec;
  const bool created = !fs::exists(fs::symlink_status(file, ec)) && createPrivateFile(file);
  if (!created) checkExistingFile(file);
  auto session = std::make_unique<Poco::Data::Session>("SQLite", location);
  // Another process (a CLI call, a second node) may hold the lock briefly: wait for it, long
  // enough that a slow disk's sync under contention does not cost a usage count.
  *session << "PRAGMA busy_timeout = 30000", now;
  try {
    int tables = 0;
    *session << "SELECT COUNT(*) FROM sqlite_master", into(tables), now;
  } catch (const Poco::Data::SQLite::DBLockedException&) {
    throw;  // busy, not damaged
  } catch (const Poco::Data::SQLite::TableLockedException&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw StoreFileError(file, "is not an SQLite database or is damaged (" + sqliteReason(e) + ")",
                         StoreFileError::Kind::damaged);
  }
  return session;
}

}  // namespace

std::string sqliteReason(const Poco::Exception& e) {
  const std::string& text = e.message();
  const std::size_t half = text.size() >= 2 ? (text.size() - 2) / 2 : 0;
  if (half > 0 && text.size() == 2 * half + 2 && text.compare(half, 2, ": ") == 0 &&
      text.compare(0, half, text, half + 2, half) == 0) {
    return text.substr(0, half);
  }
  return text.empty() ? e.displayText() : text;
}

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
  if (location == kInMemory) {
    return {std::make_unique<Poco::Data::Session>("SQLite", location), SqlDialect(false)};
  }
  return {openSqliteFile(location), SqlDialect(false)};
}

}  // namespace telemetry::storage
