// Persistent host state: for now the installation id and the opt-in flag, kept in SQLite.
#pragma once

#include <memory>
#include <string>

namespace Poco::Data {
class Session;
}

namespace telemetry {

class StateStore {
 public:
  /// Opens (and creates on first use) the store at `location`, an SQLite file path.
  /// `initialOptIn` is the opt-in flag written only when the store is created.
  StateStore(const std::string& location, bool initialOptIn);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// The random UUID v4 created with the store; it never changes.
  std::string installationId();
  bool telemetryEnabled();

 private:
  std::string value(const std::string& key);
  std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace telemetry
