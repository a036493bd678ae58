// Documents its section's fields (ABI 1.2), one of them with a wildcard, and reports one
// field it does not document: the data dictionary's tests see both.
#include <telemetry/plugin/plugin.hpp>

namespace {
class DocumentedProbe final : public telemetry::plugin::Probe {
 public:
  static constexpr telemetry::plugin::FieldDoc kFields[] = {
      {"", "A mock section.", "To test the data dictionary."},
      {"/items", "The mock's items.", "To test a field's own purpose."},
      {"/items/*", "One item of the mock.", "To test wildcards."},
  };

  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(R"({"items":["a","b"],"extra":1})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(DocumentedProbe, "mock-documented", "1.0.0", "/product/internals/mock-documented",
                 "documents its fields")
