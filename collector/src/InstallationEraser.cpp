#include "InstallationEraser.hpp"

#include <Poco/Data/Statement.h>

#include <filesystem>
#include <stdexcept>

#include "telemetry/storage/write_transaction.hpp"

namespace telemetry::collector {
namespace {

storage::Database openExisting(const std::string& location) {
  // Opening a missing SQLite file would create an empty store: a mistyped path must not
  // look like "nothing to forget".
  if (!storage::isPostgresUrl(location) && !std::filesystem::exists(location)) {
    throw std::runtime_error("no store at " + location);
  }
  return storage::openDatabase(location);
}

}  // namespace

InstallationEraser::InstallationEraser(const std::string& location)
    : database_(openExisting(location)) {}

std::int64_t InstallationEraser::erase(const std::string& installation) {
  using namespace Poco::Data::Keywords;
  auto& session = *database_.session;
  storage::WriteTransaction transaction(session, database_.dialect);
  std::string id = installation;
  Poco::Data::Statement remove(session);
  remove << database_.dialect.sql("DELETE FROM reports WHERE installation = ?"), use(id);
  const auto deleted = static_cast<std::int64_t>(remove.execute());
  transaction.commit();
  return deleted;
}

}  // namespace telemetry::collector
