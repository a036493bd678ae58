// The connection URL a database service fixture (tests/services) wrote for the tests.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>

namespace telemetry::test {

/// The URL the fixture `name` ("postgres", "mariadb", "h2server") wrote; throws if the
/// fixture is not running (the test lacks FIXTURES_REQUIRED).
inline std::string serviceUrl(const std::string& name) {
  const std::string file = std::string(TELEMETRY_TEST_SERVICES_DIR) + "/" + name + "/url";
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error("no " + file + ": does the test have FIXTURES_REQUIRED " + name + "?");
  }
  return url;
}

}  // namespace telemetry::test
