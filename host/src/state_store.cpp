#include "telemetry/state_store.hpp"

#include <filesystem>
#include <stdexcept>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/UUIDGenerator.h>

using namespace Poco::Data::Keywords;

namespace telemetry {

StateStore::StateStore(const std::string& location, bool initialOptIn) {
  if (location.find("://") != std::string::npos) {
    throw std::runtime_error("state store '" + location +
                             "': only SQLite files are supported so far");
  }
  Poco::Data::SQLite::Connector::registerConnector();
  std::filesystem::path file(location);
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
  session_ = std::make_unique<Poco::Data::Session>("SQLite", location);
  Poco::Data::Session& s = *session_;
  s << "PRAGMA busy_timeout = 5000", now;
  s << "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)", now;
  // INSERT OR IGNORE makes creation race-free: concurrent first runs keep one id.
  std::string id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::string optIn = initialOptIn ? "true" : "false";
  s << "INSERT OR IGNORE INTO state (key, value) VALUES ('installation-id', ?)", use(id), now;
  s << "INSERT OR IGNORE INTO state (key, value) VALUES ('telemetry-enabled', ?)", use(optIn), now;
}

StateStore::~StateStore() = default;

std::string StateStore::value(const std::string& key) {
  std::string result;
  std::string k = key;
  *session_ << "SELECT value FROM state WHERE key = ?", use(k), into(result), now;
  return result;
}

std::string StateStore::installationId() { return value("installation-id"); }

bool StateStore::telemetryEnabled() { return value("telemetry-enabled") == "true"; }

}  // namespace telemetry
