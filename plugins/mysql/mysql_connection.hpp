// One MySQL-protocol connection (Poco::Data's MySQL session handle) with connect, read and
// write timeouts set before connecting, so a silent server cannot hold the probe.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/Data/MySQL/SessionHandle.h>

#include "telemetry/plugins/db_url.hpp"

namespace telemetry::plugins::mysql {

/// A failed connect or query; the message is one line and holds no password.
class MysqlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MysqlConnection {
 public:
  /// The client library counts whole seconds: each timeout is rounded down, to at least 1 s.
  /// Throws MysqlError "cannot connect to host:port: reason".
  MysqlConnection(const DbUrl& url, std::chrono::milliseconds connectTimeout,
                  std::chrono::milliseconds ioTimeout);

  /// The first row of `sql`, one entry per column (nullopt for NULL); throws MysqlError.
  std::vector<std::optional<std::string>> queryRow(const std::string& sql);

 private:
  [[noreturn]] void fail(const std::string& what) const;

  const DbUrl& url_;
  Poco::Data::MySQL::SessionHandle handle_;
};

}  // namespace telemetry::plugins::mysql
