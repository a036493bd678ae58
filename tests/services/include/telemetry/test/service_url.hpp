// The connection URL a database service fixture (tests/services) wrote for the tests.
#pragma once

#include <cstdint>
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

/// The port of a fixture URL (`scheme://user:pw@127.0.0.1:PORT/db`).
inline std::uint16_t portOf(const std::string& url) {
  const std::size_t colon = url.find(':', url.rfind('@'));
  return static_cast<std::uint16_t>(std::stoul(url.substr(colon + 1)));
}

/// The fixture URL `url` with another port, e.g. to go through a proxy to the same server.
inline std::string withPort(const std::string& url, std::uint16_t port) {
  const std::size_t colon = url.find(':', url.rfind('@'));
  return url.substr(0, colon + 1) + std::to_string(port) + url.substr(url.find('/', colon));
}

}  // namespace telemetry::test
