// docs/data.md as `telemetry explain --dictionary` writes it.
#include "report/data_dictionary_page.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using telemetry::dataDictionaryPage;
using telemetry::PluginInfo;
using ::testing::HasSubstr;
using ::testing::Not;

PluginInfo plugin(std::string name, std::string section,
                  std::vector<telemetry::DocumentedField> fields) {
  PluginInfo info;
  info.name = std::move(name);
  info.section = std::move(section);
  info.description = "what it does";
  info.state = "loaded";
  info.fields = std::move(fields);
  return info;
}

TEST(DataDictionaryPageTest, ListsTheHostsFieldsWithWhyAndWho) {
  auto page = dataDictionaryPage({});
  EXPECT_THAT(page.markdown, HasSubstr("| `/installation` | A random UUID"));
  EXPECT_THAT(page.markdown, HasSubstr("| `/product/internals/telemetry-enabled` |"));
  EXPECT_EQ(page.undocumented, 0u);
}

TEST(DataDictionaryPageTest, ASchemaFieldThePluginLeavesUndocumentedIsCounted) {
  auto page = dataDictionaryPage(
      {plugin("jdk", "/product/internals/jdk", {{"", "The JDK.", "Which JDKs."}})});
  EXPECT_THAT(page.markdown, HasSubstr("### jdk"));
  EXPECT_THAT(page.markdown, HasSubstr("| `(the section)` | The JDK. | Which JDKs. |"));
  EXPECT_THAT(page.markdown, HasSubstr("| `/version` | **undocumented** | |"));
  EXPECT_THAT(page.markdown, HasSubstr("| `/vendor` | **undocumented** | |"));
  EXPECT_EQ(page.undocumented, 2u);
}

TEST(DataDictionaryPageTest, AVendorSectionListsWhatItsPluginDocumentsAndPluginsAreSorted) {
  auto page = dataDictionaryPage(
      {plugin("zeta", "/product/internals/zeta", {{"", "Z.", "z."}}),
       plugin("alpha", "/product/internals/alpha", {{"", "A | B\nC", "a."}, {"/n", "N.", "n."}})});
  EXPECT_LT(page.markdown.find("### alpha"), page.markdown.find("### zeta"));
  // A '|' or a line break from a plugin cannot break the table.
  EXPECT_THAT(page.markdown, HasSubstr("| A \\| B\\nC | a. |"));
  EXPECT_THAT(page.markdown, HasSubstr("| `/n` | N. | n. |"));
  EXPECT_EQ(page.undocumented, 0u);
}

TEST(DataDictionaryPageTest, RefusedPluginsAreLeftOut) {
  PluginInfo refused = plugin("evil", "/product/internals/evil", {{"", "E.", "e."}});
  refused.state = "refused: unsafe";
  EXPECT_THAT(dataDictionaryPage({refused}).markdown, Not(HasSubstr("evil")));
}

}  // namespace
