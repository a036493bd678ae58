#include "probes/probe_frame_reader.hpp"

#include <gtest/gtest.h>

using telemetry::ProbeFrame;
using telemetry::ProbeFrameReader;

namespace {

TEST(ProbeFrameReaderTest, DecodesWhatWasEncoded) {
  std::string payload("0a\0b", 4);
  ProbeFrameReader reader(100);
  reader.append(ProbeFrame{ProbeFrame::Type::result, payload}.encode());
  auto frame = reader.next();
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->type, ProbeFrame::Type::result);
  EXPECT_EQ(frame->payload, payload);
  EXPECT_FALSE(reader.next().has_value());
  EXPECT_EQ(reader.pendingBytes(), 0u);
}

TEST(ProbeFrameReaderTest, ReassemblesFramesArrivingByteByByte) {
  std::string wire = ProbeFrame{ProbeFrame::Type::log, "1hello"}.encode() +
                     ProbeFrame{ProbeFrame::Type::result, "0{}"}.encode();
  ProbeFrameReader reader(100);
  std::vector<ProbeFrame> frames;
  for (char byte : wire) {
    reader.append(std::string_view(&byte, 1));
    while (auto frame = reader.next()) frames.push_back(*frame);
  }
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].payload, "1hello");
  EXPECT_EQ(frames[1].payload, "0{}");
}

TEST(ProbeFrameReaderTest, RefusesAFrameOverTheLimitBeforeItsPayloadArrives) {
  std::string wire = ProbeFrame{ProbeFrame::Type::result, std::string(101, 'x')}.encode();
  ProbeFrameReader reader(100);
  reader.append(wire.substr(0, ProbeFrame::kHeaderBytes));
  EXPECT_FALSE(reader.next().has_value());
  EXPECT_TRUE(reader.oversized());
}

TEST(ProbeFrameReaderTest, LengthIsLittleEndian) {
  std::string wire = ProbeFrame{ProbeFrame::Type::settings, std::string(258, 's')}.encode();
  EXPECT_EQ(wire.substr(0, 5), std::string("S\x02\x01\x00\x00", 5));
}

TEST(ProbeFrameReaderTest, ReadsALogLineAndAResultAsTheHostDoes) {
  const ProbeFrame log{ProbeFrame::Type::log, "2disk full"};
  auto line = telemetry::logLineOf(log);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->first, telemetry::plugin::LogLevel::warn);
  EXPECT_EQ(line->second, "disk full");
  auto result = telemetry::resultOf(ProbeFrame{ProbeFrame::Type::result, "1embedded"});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->kind(), telemetry::plugin::Result::Kind::not_applicable);
  EXPECT_EQ(result->text(), "embedded");
}

// Found while writing the fuzz target: an empty result frame made the host throw
// std::out_of_range (payload.substr(1)) out of the probe runner instead of refusing it.
TEST(ProbeFrameReaderTest, FramesTooShortOrOfTheWrongKindAreMalformed) {
  EXPECT_FALSE(telemetry::resultOf(ProbeFrame{ProbeFrame::Type::result, ""}).has_value());
  EXPECT_FALSE(telemetry::resultOf(ProbeFrame{ProbeFrame::Type::result, "3{}"}).has_value());
  EXPECT_FALSE(telemetry::resultOf(ProbeFrame{ProbeFrame::Type::log, "0{}"}).has_value());
  auto isLogLine = [](const ProbeFrame& frame) { return telemetry::logLineOf(frame).has_value(); };
  EXPECT_FALSE(isLogLine(ProbeFrame{ProbeFrame::Type::log, ""}));
  EXPECT_FALSE(isLogLine(ProbeFrame{ProbeFrame::Type::log, "4x"}));
  EXPECT_FALSE(isLogLine(ProbeFrame{ProbeFrame::Type::result, "0x"}));
}

}  // namespace
