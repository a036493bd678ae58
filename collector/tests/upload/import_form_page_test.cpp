// The upload form page: a plain form, the token field empty, or no form when uploads are off.
#include "upload/import_form_page.hpp"

#include <gtest/gtest.h>

namespace telemetry::collector {
namespace {

TEST(ImportFormPageTest, HasAPasswordFieldAndAFileFieldPostingMultipart) {
  const std::string page = ImportFormPage::render(true);
  EXPECT_NE(page.find("<form method=\"post\" action=\"/imports\" "
                      "enctype=\"multipart/form-data\""),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<input type=\"password\" name=\"token\" required"), std::string::npos);
  EXPECT_EQ(page.find("value="), std::string::npos) << "the token field starts empty";
  EXPECT_NE(page.find("<input type=\"file\" name=\"file\" required>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(ImportFormPageTest, SaysUploadsAreOffWithoutAnAdminToken) {
  const std::string page = ImportFormPage::render(false);
  EXPECT_NE(page.find("Uploads are off"), std::string::npos) << page;
  EXPECT_EQ(page.find("<form"), std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector
