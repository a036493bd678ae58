#include "report/deletion_request.hpp"

#include <gtest/gtest.h>

namespace telemetry::collector {
namespace {

std::optional<DeletionRequest> parseRequest(std::string_view body,
                                            DeletionRequest::Problem* out = nullptr) {
  DeletionRequest::Problem problem;
  auto request = DeletionRequest::parse(body, problem);
  if (out) *out = problem;
  return request;
}

TEST(DeletionRequestTest, ReadsTheInstallationId) {
  const auto request =
      parseRequest(R"( {"installation": "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3"} )");
  ASSERT_TRUE(request);
  EXPECT_EQ(request->installation(), "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3");
}

TEST(DeletionRequestTest, NamesTheFieldOfAnIdThatIsNotAnInstallationId) {
  DeletionRequest::Problem problem;
  EXPECT_FALSE(
      parseRequest(R"({"installation":"8343CC7A-8AD1-42D4-97D2-43452C0BDFA3"})", &problem));
  EXPECT_EQ(problem.field, "/installation");
  EXPECT_FALSE(problem.notJson);
}

TEST(DeletionRequestTest, NamesAnUnknownMemberOnlyWhenItIsAPlainWord) {
  DeletionRequest::Problem problem;
  EXPECT_FALSE(
      parseRequest(R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3","why":1})", &problem));
  EXPECT_EQ(problem.field, "/why");
  EXPECT_FALSE(
      parseRequest(R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3","<b>":1})", &problem));
  EXPECT_EQ(problem.field, std::nullopt) << "markup is not sent back";
}

TEST(DeletionRequestTest, TellsJsonThatIsNotJson) {
  DeletionRequest::Problem problem;
  EXPECT_FALSE(parseRequest("{\"installation\":\"\xff\"}", &problem));
  EXPECT_TRUE(problem.notJson);
  EXPECT_NE(problem.message.find("not valid JSON"), std::string::npos) << problem.message;
}

TEST(DeletionRequestTest, RefusesARepeatedMember) {
  EXPECT_FALSE(parseRequest(R"({"installation":"8343cc7a-8ad1-42d4-97d2-43452c0bdfa3",)"
                            R"("installation":"b647de4d-e557-455a-a64f-feaecd55f53c"})"));
}

TEST(DeletionRequestTest, AcceptsOnlyLowerCaseUuids) {
  EXPECT_TRUE(isInstallationId("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3"));
  EXPECT_FALSE(isInstallationId("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3a"));
  EXPECT_FALSE(isInstallationId("8343cc7a08ad1-42d4-97d2-43452c0bdfa3"));
  EXPECT_FALSE(isInstallationId("8343cc7a-8ad1-42d4-97d2-43452c0bdfg3"));
  EXPECT_FALSE(isInstallationId(std::string_view("8343cc7a-8ad1-42d4-97d2-43452c0bdfa\0", 36)));
}

}  // namespace
}  // namespace telemetry::collector
