// The property of issue 16: any byte string given as a usage name, a product field or a
// probe section ends either in a clear refusal at the way in or in a report that is valid
// UTF-8 JSON, checked by Python, not by the host's own code. Seeded, so a failure repeats.
#include <random>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/report_builder.hpp"
#include "report/utf8_text.hpp"
#include "telemetry/config_loader.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/usage_registry.hpp"
#include "usage/statsd_line.hpp"

namespace {

using telemetry::ProbeOutcome;
using telemetry::ReportBuilder;
using ::testing::StartsWith;

constexpr int kCases = 3000;
constexpr const char* kInstallationId = "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3";

/// Random bytes, mostly from pieces that trouble parsers: bytes that are not UTF-8, NUL and
/// its escapes in JSON and YAML, quotes, separators, and good multi-byte characters.
class ByteStrings {
 public:
  std::string next() {
    static const std::vector<std::string> kPieces = {"\xff",
                                                     "\xfe",
                                                     "\xc0\x80",
                                                     "\xed\xa0\x80",
                                                     "\xf4\x90\x80\x80",
                                                     "\xe2\x82",
                                                     "\xc3",
                                                     std::string(1, '\0'),
                                                     "\\0",
                                                     "\\x00",
                                                     "\\u0000",
                                                     "\\ud800",
                                                     "\\\\",
                                                     "\"",
                                                     "'",
                                                     "\n",
                                                     ":",
                                                     "|",
                                                     "#",
                                                     "{",
                                                     "}",
                                                     "[",
                                                     "]",
                                                     ",",
                                                     " ",
                                                     "a",
                                                     "Z",
                                                     "9",
                                                     "\t",
                                                     "\x7f",
                                                     "\x01",
                                                     "é",
                                                     "€",
                                                     "𝄞",
                                                     "command.",
                                                     "@0.5"};
    std::string text;
    const std::size_t pieces = random_() % 12;
    for (std::size_t i = 0; i < pieces; ++i) {
      if (random_() % 4 == 0) {
        text += static_cast<char>(random_() % 256);
      } else {
        text += kPieces[random_() % kPieces.size()];
      }
    }
    return text;
  }

  std::size_t pick(std::size_t n) { return random_() % n; }

 private:
  std::mt19937_64 random_{20261205};
};

/// Both texts of a report: Poco's own (no help from the writer) and toJsonText's.
void addReport(std::string& lines, const Poco::JSON::Object::Ptr& report) {
  std::ostringstream raw;
  report->stringify(raw);
  lines += raw.str() + "\n" + telemetry::toJsonText(report, false) + "\n";
}

struct Tally {
  int refused = 0;
  int reported = 0;
};

class TextPropertyTest : public ::testing::Test {
 protected:
  /// Runs the independent check over every report made; fails naming the first bad one.
  void expectAllValid() {
    telemetry::test::Outcome check = telemetry::test::runProgram(
        "/usr/bin/python3", {TELEMETRY_SOURCE_DIR "/tests/unit/report/check_json_lines.py"},
        std::filesystem::temp_directory_path(), lines_);
    EXPECT_EQ(check.exitCode, 0) << check.out << check.err;
    EXPECT_THAT(check.out, StartsWith(std::to_string(2 * tally_.reported) + " valid"));
    // Both outcomes occur, or the generator would test only one side of the property.
    EXPECT_GT(tally_.refused, kCases / 20);
    EXPECT_GT(tally_.reported, kCases / 20);
  }

  ByteStrings bytes_;
  std::string lines_;
  Tally tally_;
  ReportBuilder builder_{{"Camunda BPM Runtime", "7.14.0", telemetry::Edition::enterprise},
                         kInstallationId};
};

TEST_F(TextPropertyTest, UsageNamesEndInARefusalOrAValidReport) {
  for (int i = 0; i < kCases; ++i) {
    const std::string name = bytes_.next();
    // The ways in: a StatsD line, and the registry the REST API and embedders count into.
    const auto parsed = telemetry::parseStatsdLine("command." + name + ":1|c");
    telemetry::UsageRegistry registry;
    registry.command(name);
    const auto counted = registry.drain().counts;
    const bool statsdRefused = std::holds_alternative<telemetry::StatsdRejection>(parsed);
    if (!telemetry::isAcceptedText(name)) {
      EXPECT_TRUE(statsdRefused) << testing::PrintToString(name);
      EXPECT_FALSE(counted.commands.contains(name)) << "counted as other instead";
    }
    if (statsdRefused && !counted.commands.contains(name)) {
      ++tally_.refused;
      continue;
    }
    ++tally_.reported;
    addReport(lines_, builder_.full({}, counted));
  }
  expectAllValid();
}

TEST_F(TextPropertyTest, ProductFieldsEndInAConfigErrorOrAValidReport) {
  for (int i = 0; i < kCases; ++i) {
    const std::string text = bytes_.next();
    static const std::vector<std::string> kLayouts = {"product:\n  name: \"@\"\n  version: '1'\n",
                                                      "product:\n  name: @\n  version: '1'\n",
                                                      "product:\n  name: x\n  version: '@'\n"};
    std::string yaml = kLayouts[bytes_.pick(kLayouts.size())];
    yaml.replace(yaml.find('@'), 1, text);
    telemetry::Config config;
    try {
      config = telemetry::parseConfig(yaml, "/etc/x/telemetry.yaml");
    } catch (const telemetry::ConfigError& e) {
      EXPECT_THAT(e.what(), StartsWith("/etc/x/telemetry.yaml"));
      ++tally_.refused;
      continue;
    }
    ++tally_.reported;
    ReportBuilder builder(config.product, kInstallationId);
    addReport(lines_, builder.initial(true));
    addReport(lines_, builder.full({}, {}));
    ++tally_.reported;
  }
  expectAllValid();
}

TEST_F(TextPropertyTest, ProbeSectionsAreLeftOutOrEndInAValidReport) {
  for (int i = 0; i < kCases; ++i) {
    const std::string text = bytes_.next();
    static const std::vector<std::string> kLayouts = {"@", "{\"name\":\"@\"}", "{\"@\":1}",
                                                      "[\"@\"]"};
    std::string json = kLayouts[bytes_.pick(kLayouts.size())];
    json.replace(json.find('@'), 1, text);
    const bool isArray = json.starts_with('[');
    ProbeOutcome outcome{"fuzz",
                         isArray ? "/product/internals/webapps" : "/product/internals/database",
                         ProbeOutcome::Status::value,
                         json,
                         {}};
    auto report = builder_.full({outcome}, {});
    const bool placed =
        report->getObject("product")->getObject("internals")->has(isArray ? "webapps" : "database");
    if (!placed) {
      EXPECT_FALSE(telemetry::sectionProblem(outcome).empty()) << "left out with a reason";
      ++tally_.refused;
      continue;
    }
    ++tally_.reported;
    addReport(lines_, report);
  }
  expectAllValid();
}

}  // namespace
