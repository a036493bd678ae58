#include "spool/spool_record.hpp"

#include <gtest/gtest.h>

#include "report/list_column.hpp"
#include "spool/spool_test_support.hpp"

namespace telemetry::collector {
namespace {

TEST(SpoolRecordTest, GivesBackEveryField) {
  ReceivedReport report = test::spooledReport(7, "key-7", 1234567890);
  report.integrations = "a,b";
  const ReceivedReport back = SpoolRecord::decode(SpoolRecord::encode(report));
  EXPECT_EQ(back.installation, report.installation);
  EXPECT_EQ(back.initial, report.initial);
  EXPECT_EQ(back.idempotencyKey, "key-7");
  EXPECT_EQ(back.ipHash, report.ipHash);
  EXPECT_EQ(back.payloadDigest, report.payloadDigest);
  EXPECT_EQ(back.payload, report.payload);
  EXPECT_EQ(back.productVersion, report.productVersion);
  EXPECT_EQ(back.edition, report.edition);
  EXPECT_EQ(back.telemetryEnabled, report.telemetryEnabled);
  EXPECT_EQ(back.databaseVendor, report.databaseVendor);
  EXPECT_EQ(back.applicationServerVendor, report.applicationServerVendor);
  EXPECT_EQ(back.jdk, report.jdk);
  EXPECT_EQ(back.integrations, "a,b");
  EXPECT_EQ(back.webapps, report.webapps);
  EXPECT_EQ(back.receivedAt, 1234567890);
}

TEST(SpoolRecordTest, KeepsNulAndNonAsciiBytes) {
  ReceivedReport report;
  report.payload = std::string("a\0b\xff", 4);
  EXPECT_EQ(SpoolRecord::decode(SpoolRecord::encode(report)).payload, report.payload);
}

// A record spooled by a version that kept a figure's NUL character (JSON's \u0000) whole
// reads back whole; the drain cuts it as fromDocument now builds it, so that both stores
// count what they keep.
TEST(SpoolRecordTest, EndsTheFiguresOfAnOlderRecordAtTheirFirstNul) {
  ReceivedReport report = test::spooledReport(3, "key-3", 1000);
  report.productVersion = std::string("7.14\0.0", 7);
  report.jdk = std::string("Ora\0cle 17", 10);
  report.webapps.clear();
  ListColumn::append(report.webapps, std::string("cock\0pit", 8));
  ListColumn::append(report.webapps, "admin");
  report.payload = std::string("{\"a\":\"x\0y\"}", 11);
  ReceivedReport back = SpoolRecord::decode(SpoolRecord::encode(report));
  EXPECT_EQ(back.productVersion, report.productVersion);
  back.endFiguresAtNul();
  EXPECT_EQ(back.productVersion, "7.14");
  EXPECT_EQ(back.jdk, "Ora");
  EXPECT_EQ(ListColumn::split(back.webapps), (std::vector<std::string>{"cock", "admin"}));
  EXPECT_EQ(back.payload, report.payload);  // the payload is kept whole
}

TEST(SpoolRecordTest, RefusesEveryShorterRecord) {
  const std::string record = SpoolRecord::encode(test::spooledReport(1));
  for (std::size_t length = 0; length < record.size(); ++length) {
    EXPECT_THROW(SpoolRecord::decode(std::string_view(record).substr(0, length)), SpoolFormatError)
        << length;
  }
}

TEST(SpoolRecordTest, RefusesBytesAfterTheLastField) {
  EXPECT_THROW(SpoolRecord::decode(SpoolRecord::encode(test::spooledReport(1)) + "x"),
               SpoolFormatError);
}

TEST(SpoolRecordTest, RefusesAnotherVersion) {
  std::string record = SpoolRecord::encode(test::spooledReport(1));
  record[0] = 2;
  EXPECT_THROW(SpoolRecord::decode(record), SpoolFormatError);
}

TEST(SpoolRecordTest, RefusesAFlagOtherThanZeroOrOne) {
  std::string record = SpoolRecord::encode(test::spooledReport(1));
  record[9] = 2;  // `initial`, after the version and the 8-byte time
  EXPECT_THROW(SpoolRecord::decode(record), SpoolFormatError);
}

TEST(SpoolRecordTest, RefusesAFieldLengthPastTheEnd) {
  std::string record = SpoolRecord::encode(test::spooledReport(1));
  record[11] = '\xff';  // the first text field's length: 0xff... bytes
  record[12] = '\xff';
  record[13] = '\xff';
  record[14] = '\xff';
  EXPECT_THROW(SpoolRecord::decode(record), SpoolFormatError);
}

}  // namespace
}  // namespace telemetry::collector
