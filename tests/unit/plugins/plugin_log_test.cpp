#include "plugins/plugin_log.hpp"

#include <algorithm>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "config/logging.hpp"

using telemetry::PluginLog;
using telemetry::plugin::LogLevel;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

class PluginLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    telemetry::setLogLevel("debug");
    sink_->set_pattern("%l %v");
    telemetry::logger("telemetry.plugin")->sinks().push_back(sink_);
  }
  void TearDown() override {
    auto& sinks = telemetry::logger("telemetry.plugin")->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    telemetry::setLogLevel("info");
  }

  std::ostringstream out_;
  spdlog::sink_ptr sink_ = std::make_shared<spdlog::sinks::ostream_sink_st>(out_);
};

TEST_F(PluginLogTest, PrefixesEveryLineWithThePluginName) {
  PluginLog("jdk").write(LogLevel::warn, "no java found");
  EXPECT_THAT(out_.str(), HasSubstr("warning [jdk] no java found"));
}

TEST_F(PluginLogTest, EscapesControlCharactersSoNoLineCanBeForged) {
  PluginLog("x").write(LogLevel::info, "one\ntwo\x1b[31m\tend");
  EXPECT_THAT(out_.str(), HasSubstr(R"([x] one\ntwo\x1b[31m\tend)"));
}

TEST_F(PluginLogTest, KeepsUtf8AndEscapesOtherHighBytes) {
  EXPECT_EQ(PluginLog::printable("Caf\xc3\xa9 \xff\xc3("), "Caf\xc3\xa9 \\xff\\xc3(");
}

// What the report takes as UTF-8 (report/utf8_text.hpp) is what a log line keeps: an overlong
// "/" (C0 AF, E0 80 AF) or a surrogate (ED A0 80) is escaped byte by byte.
TEST_F(PluginLogTest, EscapesOverlongFormsAndSurrogatesAsTheReportRefusesThem) {
  EXPECT_EQ(PluginLog::printable("a\xc0\xaf b\xe0\x80\xaf c\xed\xa0\x80"),
            "a\\xc0\\xaf b\\xe0\\x80\\xaf c\\xed\\xa0\\x80");
}

TEST_F(PluginLogTest, CutsLongLines) {
  std::string line = PluginLog::printable(std::string(5000, 'a'));
  EXPECT_EQ(line, std::string(PluginLog::kMaxLineBytes, 'a') + " [4000 more bytes]");
}

TEST_F(PluginLogTest, DropsLinesOverTheLimitAndSaysHowMany) {
  {
    PluginLog log("chatty", 3);
    for (int i = 0; i < 10; ++i) log.write(LogLevel::info, "line " + std::to_string(i));
  }
  EXPECT_THAT(out_.str(), HasSubstr("[chatty] line 2"));
  EXPECT_THAT(out_.str(), Not(HasSubstr("[chatty] line 3")));
  EXPECT_THAT(out_.str(),
              HasSubstr("[chatty] 7 more log lines dropped (at most 3 per collection)"));
}

TEST_F(PluginLogTest, SinkKeepsTheLogAliveForTheContext) {
  auto sink = PluginLog::sink(std::make_shared<PluginLog>("held"));
  sink(LogLevel::debug, "still here");
  EXPECT_THAT(out_.str(), HasSubstr("[held] still here"));
}

}  // namespace
