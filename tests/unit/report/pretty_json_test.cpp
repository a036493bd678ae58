#include "report/pretty_json.hpp"

#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

TEST(PrettyJsonTest, EmptyObjectsAndArraysStayOnOneLine) {
  Object::Ptr root = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("commands", Object::Ptr(new Object));
  root->set("webapps", Array::Ptr(new Array));
  EXPECT_EQ(telemetry::prettyJson(root), "{\n  \"commands\": {},\n  \"webapps\": []\n}");
  EXPECT_EQ(telemetry::prettyJson(Object::Ptr(new Object)), "{}");
}

TEST(PrettyJsonTest, KeepsInsertionOrderNestingAndPocoEscaping) {
  Object::Ptr inner = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  inner->set("z", 1);
  inner->set("a", "quote \" and \\ and \n");
  Array::Ptr list = new Array;
  list->add(inner);
  list->add(Poco::Dynamic::Var());
  list->add(true);
  Object::Ptr root = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("list", list);
  root->set("number", 2.5);
  EXPECT_EQ(telemetry::prettyJson(root),
            "{\n"
            "  \"list\": [\n"
            "    {\n"
            "      \"z\": 1,\n"
            "      \"a\": \"quote \\\" and \\\\ and \\n\"\n"
            "    },\n"
            "    null,\n"
            "    true\n"
            "  ],\n"
            "  \"number\": 2.5\n"
            "}");
  // The same document as Poco writes it compactly, once the layout is taken out.
  std::ostringstream compact;
  root->stringify(compact);
  std::string pretty = telemetry::prettyJson(root);
  std::string squeezed;
  bool inString = false;
  for (std::size_t i = 0; i < pretty.size(); ++i) {
    char c = pretty[i];
    if (c == '"' && (i == 0 || pretty[i - 1] != '\\')) inString = !inString;
    if (!inString && (c == '\n' || c == ' ')) continue;
    squeezed += c;
  }
  EXPECT_EQ(squeezed, compact.str());
}

}  // namespace
