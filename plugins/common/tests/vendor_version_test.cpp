#include "telemetry/plugins/vendor_version.hpp"

#include <gtest/gtest.h>

TEST(VendorVersionTest, writes_vendor_before_version) {
  telemetry::plugins::VendorVersion value{"Apache \"Tomcat\"", "10.1"};
  EXPECT_EQ(value.toJson(), R"({"vendor":"Apache \"Tomcat\"","version":"10.1"})");
}

// Camunda's own expectations (ParseUtilTest) and the servers this project probes.
TEST(VendorVersionTest, takes_the_vendor_from_server_info_as_camunda_does) {
  using telemetry::plugins::serverInfoVendor;
  EXPECT_EQ(serverInfoVendor("Apache Tomcat/9.0.50"), "Apache Tomcat");
  EXPECT_EQ(serverInfoVendor("WildFly Full 26.0.0.Final (WildFly Core 18.0.1.Final)"),
            "WildFly Full");
  EXPECT_EQ(serverInfoVendor("JBoss EAP 7.2.0.GA (WildFly Core 6.0.11.Final-redhat-00001)"),
            "JBoss EAP");
  EXPECT_EQ(serverInfoVendor("WebLogic Server 12.2.1.4.0 Thu Sep 12 04:04:29 GMT 2019 1974621"),
            "WebLogic Server");
  EXPECT_EQ(serverInfoVendor("IBM WebSphere Application Server/9.0"),
            "IBM WebSphere Application Server");
  EXPECT_EQ(serverInfoVendor("IBM WebSphere Liberty/21.0.0.9"), "IBM WebSphere Liberty");
  EXPECT_EQ(serverInfoVendor(" 1.0 -- "), "");
  EXPECT_EQ(serverInfoVendor(""), "");
}
