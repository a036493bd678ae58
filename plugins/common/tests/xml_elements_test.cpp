#include "telemetry/plugins/xml_elements.hpp"

#include <gtest/gtest.h>

using telemetry::plugins::parseXmlElements;
using telemetry::plugins::XmlError;

TEST(XmlElementsTest, lists_elements_in_document_order_with_attributes_and_own_text) {
  auto elements = parseXmlElements(
      "<?xml version=\"1.0\"?>\n"
      "<r:registry xmlns:r=\"urn:x\" home=\"/u01\"><r:d name=\"A &amp; B\" version=\"1\">\n"
      "  <c>  text  </c></r:d></r:registry>");
  ASSERT_EQ(elements.size(), 3u);
  EXPECT_EQ(elements[0].name, "registry");
  EXPECT_EQ(elements[0].attribute("home"), "/u01");
  EXPECT_EQ(elements[1].name, "d");
  EXPECT_EQ(elements[1].attribute("name"), "A & B");
  EXPECT_EQ(elements[1].text, "");
  EXPECT_EQ(elements[2].text, "text");
  EXPECT_FALSE(elements[2].attribute("name"));
}

TEST(XmlElementsTest, never_loads_the_dtd_a_product_file_names) {
  auto elements = parseXmlElements(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE product PUBLIC \"productId\" "
      "\"/nonexistent/product.dtd\">"
      "<product name=\"x\"><version>9.0.5.0</version></product>");
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[1].text, "9.0.5.0");
}

TEST(XmlElementsTest, refuses_xml_that_is_not_well_formed) {
  EXPECT_THROW(parseXmlElements("<a><b></a>"), XmlError);
  EXPECT_THROW(parseXmlElements(""), XmlError);
}
