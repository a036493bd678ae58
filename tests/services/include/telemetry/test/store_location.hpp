// A fresh, empty store location for one test: an SQLite file in a directory the test owns,
// or a new database on the `postgres` fixture's server, dropped again afterwards.
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/UUIDGenerator.h>

#include "telemetry/storage/database.hpp"
#include "telemetry/test/service_url.hpp"

namespace telemetry::test {

class StoreLocation {
 public:
  /// `backend` is "sqlite" (a file in `dir`) or "postgres".
  StoreLocation(const std::string& backend, const std::filesystem::path& dir) {
    if (backend == "sqlite") {
      location_ = (dir / "state" / "telemetry-state.db").string();
      return;
    }
    const std::string base = serviceUrl("postgres");
    database_ = "test_" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    database_.erase(std::remove(database_.begin(), database_.end(), '-'), database_.end());
    admin() << "CREATE DATABASE " + database_, Poco::Data::Keywords::now;
    location_ = base.substr(0, base.rfind('/') + 1) + database_;
  }
  ~StoreLocation() {
    if (database_.empty()) return;
    try {
      admin() << "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)",
          Poco::Data::Keywords::now;
    } catch (...) {
      // The server goes away with the fixture anyway.
    }
  }
  StoreLocation(const StoreLocation&) = delete;
  StoreLocation& operator=(const StoreLocation&) = delete;

  const std::string& location() const { return location_; }

 private:
  static Poco::Data::Session admin() {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    return Poco::Data::Session("PostgreSQL",
                               storage::libpqConnectionString(serviceUrl("postgres")));
  }

  std::string database_;
  std::string location_;
};

}  // namespace telemetry::test
