#include "telemetry/storage/database.hpp"

#include <sys/stat.h>
#include <unistd.h>

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

std::string libpqConnectionString(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::SyntaxException&) {
    // Poco's message quotes the part it choked on, which may be the password (a '/' or '#'
    // in it ends the host part early).
    throw Poco::SyntaxException(
        "not a valid postgresql:// URL (characters such as / # ? @ "
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
  if (location == kInMemory) {
    return {std::make_unique<Poco::Data::Session>("SQLite", location), SqlDialect(false)};
  }
  return {openSqliteFile(location), SqlDialect(false)};
}

}  // namespace telemetry::storage
