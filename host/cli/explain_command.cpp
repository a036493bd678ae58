#include <iostream>
#include <memory>

#include "command_registry.hpp"
#include "config/logging.hpp"
#include "delivery/report_dispatcher.hpp"
#include "exit_code.hpp"
#include "plugins/configured_catalog.hpp"
#include "report/data_dictionary_page.hpp"
#include "report/field_dictionary.hpp"
#include "report/pretty_json.hpp"
#include "report/report_builder.hpp"
#include "report/report_source.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {

struct ExplainOptions {
  bool initial = false;
  bool json = false;
  bool dictionary = false;
};

namespace {

void print(const FieldDictionary& dictionary, const Poco::JSON::Object::Ptr& report, bool json) {
  if (json) {
    std::cout << prettyJson(dictionary.toJson(report)) << '\n';
  } else {
    std::cout << dictionary.annotate(report) << '\n';
  }
}

}  // namespace

int runExplain(const Config& config, const ExplainOptions& options) {
  if (options.dictionary) {
    PluginCatalog catalog = configuredCatalog(config);
    DataDictionaryPage page = dataDictionaryPage(catalog.plugins());
    std::cout << page.markdown;
    if (page.undocumented != 0) {
      logger()->warn("{} field(s) of the plugins found are undocumented", page.undocumented);
    }
    return success;
  }
  if (options.initial) {
    // The initial report has no probe sections: no plugin needs loading for it.
    StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers,
                     StoreOpening::inMemoryIfMissing);
    ReportBuilder builder(config.product, state.installationId());
    print(FieldDictionary({}), builder.initial(state.telemetryEnabled()), options.json);
    return success;
  }
  // As `telemetry report` makes it: through the Host, so the counts are what `send` takes.
  HostOptions readOnly;
  readOnly.stateOpening = StoreOpening::inMemoryIfMissing;
  Host host(config, readOnly);
  host.checkpoint();
  Poco::JSON::Object::Ptr report = host.dispatcher().fullReport();
  print(FieldDictionary(host.source().catalog().plugins()), report, options.json);
  return success;
}

namespace {

void setupExplain(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<ExplainOptions>();
  auto* explain = app.add_subcommand(
      "explain",
      "print the report that would be sent, each field with what it is and why it is "
      "collected; sends nothing, changes no counter");
  explain->add_flag("--initial", options->initial, "explain the one-time initial report");
  explain->add_flag("--json", options->json,
                    "print {\"report\": ..., \"fields\": [{pointer, description, purpose, "
                    "filled-by}]} instead");
  auto* dictionary = explain->add_flag(
      "--dictionary", options->dictionary,
      "print the whole data dictionary (host and every plugin found) as Markdown, as in "
      "docs/data.md");
  dictionary->excludes(explain->get_option("--initial"))->excludes(explain->get_option("--json"));
  explain->footer(
      R"(Each line of the report ends with a comment: what the field is, why it is collected
(where that differs from the field it lies in) and what fills it, in brackets. The host's
fields are documented in config/report.schema.json, a plugin's in its descriptor; a field
nobody documented shows as "undocumented". The plugins run as for `telemetry report`.
Examples:
  telemetry explain                    the next full report, explained
  telemetry explain --initial          the anonymous initial report, explained
  telemetry explain --json | jq '.fields[] | select(.description == null)'
  telemetry explain --dictionary > data.md)");
  runWhenChosen(*explain, chosen,
                [options](const Invocation& call) { return runExplain(call.config, *options); });
}

[[maybe_unused]] const bool kExplainRegistered = registerCommand({15, setupExplain});

}  // namespace

}  // namespace telemetry::cli
