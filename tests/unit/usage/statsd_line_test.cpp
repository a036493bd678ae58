#include "usage/statsd_line.hpp"

#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using telemetry::Metric;
using telemetry::parseStatsdLine;
using telemetry::StatsdRejection;
using telemetry::StatsdSample;
using Kind = telemetry::StatsdSample::Kind;

namespace {

StatsdSample accepted(std::string_view line) {
  auto parsed = parseStatsdLine(line);
  if (const auto* rejection = std::get_if<StatsdRejection>(&parsed)) {
    ADD_FAILURE() << "'" << line << "' rejected: " << describe(*rejection);
    return {};
  }
  return std::get<StatsdSample>(parsed);
}

/// The reason `line` is rejected; fails the test when it is accepted.
StatsdRejection rejected(std::string_view line) {
  auto parsed = parseStatsdLine(line);
  if (!std::holds_alternative<StatsdRejection>(parsed)) {
    ADD_FAILURE() << "'" << line << "' accepted";
    return StatsdRejection::malformed;
  }
  return std::get<StatsdRejection>(parsed);
}

TEST(StatsdLineTest, CommandCountersNameTheCommandAfterThePrefix) {
  StatsdSample sample = accepted("command.StartProcessInstanceCmd:3|c");
  EXPECT_EQ(sample.kind, Kind::command);
  EXPECT_EQ(sample.name, "StartProcessInstanceCmd");
  EXPECT_EQ(sample.count, 3u);
}

TEST(StatsdLineTest, TheFourCountedMetricsAreCountersByTheirReportNames) {
  const std::pair<std::string_view, Metric> metrics[] = {
      {"root-process-instance-start", Metric::rootProcessInstanceStart},
      {"activity-instance-start", Metric::activityInstanceStart},
      {"executed-decision-instances", Metric::executedDecisionInstances},
      {"executed-decision-elements", Metric::executedDecisionElements},
  };
  for (const auto& [name, metric] : metrics) {
    StatsdSample sample = accepted(std::string(name) + ":7|c");
    EXPECT_EQ(sample.kind, Kind::metric) << name;
    EXPECT_EQ(sample.metric, metric) << name;
    EXPECT_EQ(sample.count, 7u) << name;
  }
}

TEST(StatsdLineTest, ASampleRateScalesTheCountAndRounds) {
  EXPECT_EQ(accepted("command.X:1|c|@0.1").count, 10u);
  EXPECT_EQ(accepted("activity-instance-start:3|c|@0.5").count, 6u);
  EXPECT_EQ(accepted("command.X:1|c|@0.3").count, 3u);
  EXPECT_EQ(accepted("command.X:2|c|@1").count, 2u);
}

TEST(StatsdLineTest, ScaledCountsStopAt2To63Minus1) {
  EXPECT_EQ(accepted("command.X:9223372036854775807|c").count, 9223372036854775807u);
  EXPECT_EQ(accepted("command.X:9223372036854775807|c|@0.5").count, 9223372036854775807u);
  EXPECT_EQ(accepted("command.X:5000000000000000000|c|@0.5").count, 9223372036854775807u);
}

TEST(StatsdLineTest, TagsAreIgnored) {
  EXPECT_EQ(accepted("command.X:2|c|#env:prod,team:a").count, 2u);
  EXPECT_EQ(accepted("command.X:2|c|@0.5|#env:prod").count, 4u);
  EXPECT_EQ(accepted("command.X:2|c|#env:prod|@0.5").count, 4u);
}

TEST(StatsdLineTest, AWorkerSetIsOneSightingOfTheIdWhichMayHoldColons) {
  StatsdSample sample = accepted("worker:worker-7|s");
  EXPECT_EQ(sample.kind, Kind::worker);
  EXPECT_EQ(sample.name, "worker-7");
  EXPECT_EQ(sample.count, 1u);
  EXPECT_EQ(accepted("worker:host-a:4711|s").name, "host-a:4711");
}

TEST(StatsdLineTest, GaugesTimersAndHistogramsAreNotCounted) {
  for (const char* line :
       {"command.X:5|g", "command.X:12|ms", "command.X:12|h", "command.X:1|d", "command.X:1|kv"}) {
    EXPECT_EQ(rejected(line), StatsdRejection::unsupportedType) << line;
  }
}

TEST(StatsdLineTest, NamesOutsideTheCountedOnesAreRejected) {
  for (const char* line : {"requests:1|c", "unique-task-workers:1|c", "worker:1|c",
                           "command.X:w1|s", "Command.X:1|c", "activity-instance-start.x:1|c"}) {
    EXPECT_EQ(rejected(line), StatsdRejection::unknownName) << line;
  }
}

TEST(StatsdLineTest, CountersMustBeWholeNumbersFrom1To2To63Minus1) {
  for (const char* line :
       {"command.X:-1|c", "command.X:one|c", "command.X:|c", "command.X:nan|c", "command.X:inf|c",
        "command.X:1e300|c", "command.X:1x|c", "command.X:0|c", "command.X:1.5|c", "command.X:+1|c",
        "command.X:9223372036854775808|c", "command.X:18446744073709551616|c"}) {
    EXPECT_EQ(rejected(line), StatsdRejection::badValue) << line;
  }
  EXPECT_EQ(rejected("worker:|s"), StatsdRejection::badValue);
  EXPECT_EQ(rejected("worker:" + std::string(256, 'w') + "|s"), StatsdRejection::badValue);
  EXPECT_EQ(accepted("worker:" + std::string(255, 'w') + "|s").name.size(), 255u);
}

TEST(StatsdLineTest, SampleRatesMustBeAboveZeroAndAtMostOne) {
  for (const char* line : {"command.X:1|c|@0", "command.X:1|c|@1.5", "command.X:1|c|@-0.5",
                           "command.X:1|c|@", "command.X:1|c|@half"}) {
    EXPECT_EQ(rejected(line), StatsdRejection::badSampleRate) << line;
  }
}

TEST(StatsdLineTest, LinesThatAreNotNameValueTypeAreMalformed) {
  for (const char* line : {"command.X", "command.X:1", ":1|c", "command.X:1|", "|c"}) {
    EXPECT_EQ(rejected(line), StatsdRejection::malformed) << line;
  }
}

TEST(StatsdLineTest, NamesAndWorkerIdsThatAreNotUtf8OrHoldNulAreRejected) {
  using namespace std::string_literals;
  for (const std::string& line :
       {"command.Bad\xffName:1|c"s, "command.a\0b:1|c"s, "command.\xed\xa0\x80:1|c"s,
        "worker:w\xc0\x80|s"s, "worker:w\0|s"s}) {
    EXPECT_EQ(rejected(line), StatsdRejection::badText) << line;
  }
  EXPECT_EQ(accepted("command.Grüße€:1|c").name, "Grüße€");
}

TEST(StatsdLineTest, UnknownFieldsAfterTheTypeAreRejected) {
  EXPECT_EQ(rejected("command.X:1|c|T1700000000"), StatsdRejection::unknownField);
  EXPECT_EQ(rejected("command.X:1|c|@0.5|x"), StatsdRejection::unknownField);
}

TEST(StatsdLineTest, EveryRejectionHasItsOwnDescription) {
  std::set<std::string_view> descriptions;
  for (std::size_t i = 0; i < telemetry::kStatsdRejectionCount; ++i) {
    descriptions.insert(describe(static_cast<StatsdRejection>(i)));
  }
  EXPECT_EQ(descriptions.size(), telemetry::kStatsdRejectionCount);
  EXPECT_THAT(std::string(describe(StatsdRejection::unknownName)),
              ::testing::HasSubstr("command.NAME"));
}

}  // namespace
