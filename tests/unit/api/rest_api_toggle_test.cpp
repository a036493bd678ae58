// The REST API: switching telemetry and reading what it would send: configuration, status, data,
// and a hundred switches at once.
#include <atomic>
#include <map>
#include <thread>

#include "rest_api_fixture.hpp"

namespace {

using namespace telemetry::test::rest_api;

TEST_F(RestApiTest, ConfigurationIsNullUntilSomeoneDecides) {
  initialize_ = std::nullopt;
  api_.reset();
  host_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(dir_ / (std::string("state.db") + suffix));
  }
  start();
  EXPECT_TRUE(call({"GET", "/telemetry/configuration", kReader}).json()->isNull("enableTelemetry"));
  EXPECT_EQ(call({"GET", "/telemetry/status", kReader}).json()->getValue<std::string>("opt-in"),
            "unset");
  EXPECT_EQ(setEnabled(false).status, 204);
  auto decided = call({"GET", "/telemetry/configuration", kReader}).json();
  EXPECT_FALSE(decided->isNull("enableTelemetry"));
  EXPECT_FALSE(decided->getValue<bool>("enableTelemetry"));
}

TEST_F(RestApiTest, HundredParallelTogglesLeaveOneConsistentState) {
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      try {
        if (setEnabled(i % 2 == 0).status == 204) ++accepted;
      } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "toggle " << i << ": " << e.displayText();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 100);
  const bool stored = storedEnabled();
  EXPECT_EQ(
      call({"GET", "/telemetry/configuration", kReader}).json()->getValue<bool>("enableTelemetry"),
      stored);
  EXPECT_EQ(call({"GET", "/telemetry/status", kReader}).json()->getValue<bool>("enabled"), stored);
  // And it still switches both ways afterwards.
  EXPECT_EQ(setEnabled(!stored).status, 204);
  EXPECT_EQ(storedEnabled(), !stored);
}

TEST_F(RestApiTest, StatusShowsWhatTheAdminPageNeeds) {
  Reply status = call({"GET", "/telemetry/status", kReader});
  ASSERT_EQ(status.status, 200);
  auto s = status.json();
  EXPECT_EQ(s->getValue<std::string>("installation"),
            StateStore(config_.state.path, false).installationId());
  EXPECT_TRUE(s->getValue<bool>("enabled"));
  EXPECT_FALSE(s->getValue<bool>("license-key-stored"));
  EXPECT_THAT(s->getValue<std::string>("legal-note"), HasSubstr("authorized"));
}

TEST_F(RestApiTest, DataIsTheReportAsItWouldBeSentNow) {
  Reply data = call({"GET", "/telemetry/data", kReader});
  ASSERT_EQ(data.status, 200) << data.body;
  EXPECT_EQ(data.json()->getValue<std::string>("installation"),
            StateStore(config_.state.path, false).installationId());
  EXPECT_TRUE(data.json()->getObject("product")->getObject("internals")->has("metrics"));
  EXPECT_EQ(call({"GET", "/telemetry/data"}).status, 401);
  EXPECT_TRUE(receiver_.requests().empty()) << "a preview sends nothing";
}

TEST_F(RestApiTest, ExplainedDataIsTheReportWithEachFieldsDescription) {
  const std::string key = std::string(kSignature) + ";" + kLicense;
  ASSERT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, key, "text/plain"}).status, 204);
  Reply explained = call({"GET", "/telemetry/data/explained", kReader});
  ASSERT_EQ(explained.status, 200) << explained.body;
  auto body = explained.json();
  auto report = body->getObject("report");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->getValue<std::string>("installation"),
            StateStore(config_.state.path, false).installationId());
  std::map<std::string, Poco::JSON::Object::Ptr> fields;
  auto list = body->getArray("fields");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto field = list->getObject(static_cast<unsigned>(i));
    fields[field->getValue<std::string>("pointer")] = field;
  }
  ASSERT_TRUE(fields.count("/installation"));
  EXPECT_THAT(fields["/installation"]->getValue<std::string>("description"),
              HasSubstr("random UUID"));
  ASSERT_TRUE(fields.count("/product/internals/license-key/customer")) << explained.body;
  EXPECT_EQ(fields["/product/internals/license-key/customer"]->getValue<std::string>("filled-by"),
            "plugin license");
  EXPECT_THAT(fields["/product/internals/license-key/raw"]->getValue<std::string>("description"),
              HasSubstr("without its signature"));
  EXPECT_EQ(call({"GET", "/telemetry/data/explained"}).status, 401);
  EXPECT_TRUE(receiver_.requests().empty()) << "a preview sends nothing";
}

}  // namespace
