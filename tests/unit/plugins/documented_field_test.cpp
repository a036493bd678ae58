// A plugin's field documentation as the host reads and checks it: from the descriptor
// (ABI 1.2 only) and as any copy of it must look (a child's answer, the descriptor cache).
#include "plugins/documented_field.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using telemetry::checkFieldDocs;
using telemetry::declaredFieldDocs;
using telemetry::DocumentedField;
using telemetry::kMaxDocumentedFields;
using telemetry::kMaxFieldTextBytes;
using telemetry::plugin::Descriptor;
using telemetry::plugin::FieldDoc;
using ::testing::HasSubstr;

std::string problemOf(const std::vector<DocumentedField>& fields) {
  try {
    checkFieldDocs(fields);
    return {};
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

std::string problemOf(const Descriptor& descriptor) {
  try {
    declaredFieldDocs(descriptor, {1, 2});
    return {};
  } catch (const std::runtime_error& e) {
    return e.what();
  }
}

Descriptor describing(const FieldDoc* fields, std::size_t count) {
  Descriptor descriptor{};
  descriptor.fieldDocs = {fields, count};
  return descriptor;
}

TEST(DocumentedFieldTest, ReadsWhatAnAbiOneTwoDescriptorDocuments) {
  const FieldDoc docs[] = {{"", "The section.", "Why."}, {"/items/*", "One item.", "Why not."}};
  EXPECT_EQ(declaredFieldDocs(describing(docs, 2), {1, 2}),
            (std::vector<DocumentedField>{{"", "The section.", "Why."},
                                          {"/items/*", "One item.", "Why not."}}));
}

TEST(DocumentedFieldTest, NothingIsReadFromAPluginBuiltBeforeAbiOneTwo) {
  // Its descriptor ends before fieldDocs: what lies there must not be touched.
  Descriptor descriptor{};
  descriptor.fieldDocs = {reinterpret_cast<const FieldDoc*>(0x10), 3};
  EXPECT_TRUE(declaredFieldDocs(descriptor, {1, 1}).empty());
  EXPECT_TRUE(declaredFieldDocs(descriptor, {1, 0}).empty());
}

TEST(DocumentedFieldTest, ATooLongTextIsRefusedAfterReadingOneBytePastTheLimit) {
  // Not NUL-terminated: a strlen would read past the buffer (ASan reports it).
  std::vector<char> unterminated(kMaxFieldTextBytes + 1, 'x');
  const FieldDoc docs[] = {{"/a", unterminated.data(), "why"}};
  EXPECT_THAT(problemOf(describing(docs, 1)), HasSubstr("description is longer than 512 bytes"));
}

TEST(DocumentedFieldTest, ACountOverTheLimitOrWithoutFieldsIsRefusedUnread) {
  EXPECT_THAT(
      problemOf(describing(reinterpret_cast<const FieldDoc*>(0x10), kMaxDocumentedFields + 1)),
      HasSubstr("more than 64"));
  EXPECT_THAT(problemOf(describing(nullptr, 2)), HasSubstr("a count but no fields"));
  const FieldDoc noPointer[] = {{nullptr, "d", "p"}};
  EXPECT_THAT(problemOf(describing(noPointer, 1)), HasSubstr("no pointer"));
}

TEST(DocumentedFieldTest, RefusesTextThatIsNotUtf8OrHoldsNul) {
  EXPECT_THAT(problemOf({{"/a", "bad \xff byte", "why"}}), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(problemOf({{"/a", std::string("cut\0here", 8), "why"}}), HasSubstr("NUL"));
  EXPECT_THAT(problemOf({{"/\xc0\xaf", "d", "why"}}), HasSubstr("not valid UTF-8"));
}

TEST(DocumentedFieldTest, RefusesDuplicatesAndMalformedPointers) {
  EXPECT_THAT(problemOf({{"/a", "d", "p"}, {"/a", "again", "p"}}),
              HasSubstr("field '/a' is documented twice"));
  EXPECT_THAT(problemOf({{"a", "d", "p"}}), HasSubstr("does not start with '/'"));
  EXPECT_THAT(problemOf({{"/a//b", "d", "p"}}), HasSubstr("empty segment"));
  EXPECT_THAT(problemOf({{"/a/", "d", "p"}}), HasSubstr("empty segment"));
  EXPECT_THAT(problemOf({{"/a~1b", "d", "p"}}), HasSubstr("holds '~'"));
}

TEST(DocumentedFieldTest, EveryFieldNeedsADescriptionAndAPurpose) {
  EXPECT_THAT(problemOf({{"/a", "", "p"}}), HasSubstr("field '/a' has no description"));
  EXPECT_THAT(problemOf({{"/a", "d", ""}}), HasSubstr("field '/a' says not why"));
  EXPECT_EQ(problemOf({{"", "d", "p"}, {"/a/*", "d", "p"}}), "");
}

TEST(DocumentedFieldTest, RefusesMoreFieldsOrLongerTextsThanTheLimits) {
  std::vector<DocumentedField> many;
  for (std::size_t i = 0; i <= kMaxDocumentedFields; ++i) {
    many.push_back({"/f" + std::to_string(i), "d", "p"});
  }
  EXPECT_THAT(problemOf(many), HasSubstr("more than 64"));
  EXPECT_THAT(problemOf({{"/a", "d", std::string(kMaxFieldTextBytes + 1, 'p')}}),
              HasSubstr("longer than 512 bytes"));
  EXPECT_THAT(problemOf({{"/" + std::string(200, 'a'), "d", "p"}}),
              HasSubstr("longer than 128 bytes"));
}

}  // namespace
