#include "telemetry/plugins/vendor_version.hpp"

#include <gtest/gtest.h>

TEST(VendorVersionTest, writes_vendor_before_version) {
  telemetry::plugins::VendorVersion value{"Apache \"Tomcat\"", "10.1"};
  EXPECT_EQ(value.toJson(), R"({"vendor":"Apache \"Tomcat\"","version":"10.1"})");
}
