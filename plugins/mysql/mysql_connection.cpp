#include "mysql_connection.hpp"

#include <Poco/Exception.h>

#include <algorithm>
#include <memory>

namespace telemetry::plugins::mysql {
namespace {

unsigned int wholeSeconds(std::chrono::milliseconds timeout) {
  return static_cast<unsigned int>(std::max<long long>(1, timeout.count() / 1000));
}

}  // namespace

MysqlConnection::MysqlConnection(const DbUrl& url, std::chrono::milliseconds connectTimeout,
                                 std::chrono::milliseconds ioTimeout)
    : url_(url), handle_(nullptr) {
  handle_.options(MYSQL_OPT_CONNECT_TIMEOUT, wholeSeconds(connectTimeout));
  handle_.options(MYSQL_OPT_READ_TIMEOUT, wholeSeconds(ioTimeout));
  handle_.options(MYSQL_OPT_WRITE_TIMEOUT, wholeSeconds(ioTimeout));
  try {
    handle_.connect(url.host.c_str(), url.user.c_str(), url.password.c_str(),
                    url.database.empty() ? nullptr : url.database.c_str(), url.port);
  } catch (const Poco::Exception&) {
    fail("cannot connect to " + url.endpoint());
  }
}

std::vector<std::optional<std::string>> MysqlConnection::queryRow(const std::string& sql) {
  const std::string what = "query '" + sql + "' on " + url_.endpoint();
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) fail(what);
  std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> result(mysql_store_result(handle_),
                                                                  &mysql_free_result);
  if (!result) fail(what);
  std::vector<std::optional<std::string>> row;
  MYSQL_ROW values = mysql_fetch_row(result.get());
  if (values == nullptr) return row;
  const unsigned long* lengths = mysql_fetch_lengths(result.get());
  for (unsigned int i = 0; i < mysql_num_fields(result.get()); ++i) {
    if (values[i] == nullptr) {
      row.emplace_back();
    } else {
      row.emplace_back(std::string(values[i], lengths[i]));
    }
  }
  return row;
}

void MysqlConnection::fail(const std::string& what) const {
  const char* reason = mysql_error(const_cast<Poco::Data::MySQL::SessionHandle&>(handle_));
  throw MysqlError(url_.withoutPassword(what + ": " +
                                        (reason != nullptr && *reason ? reason : "unknown error")));
}

}  // namespace telemetry::plugins::mysql
