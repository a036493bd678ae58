// What the collector's tests share: reading the fixture reports, and parsing JSON the way
// the collector does.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace telemetry::collector::test {

/// The whole file, "" if it cannot be read.
inline std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A file of collector/tests/fixtures.
inline std::string fixture(const std::string& name) {
  return readFile(std::filesystem::path(TELEMETRY_COLLECTOR_FIXTURES) / name);
}

/// `text` parsed; with keepOrder (as the collector parses reports) objects keep the
/// sender's member order.
inline Poco::Dynamic::Var parse(const std::string& text, bool keepOrder = true) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(keepOrder));
  return parser.parse(text);
}

}  // namespace telemetry::collector::test
