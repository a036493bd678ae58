// Documents a field with a description far over the host's limit and not NUL-terminated
// within it: the host reads at most one byte past the limit and refuses the plugin.
#include <cstring>

#include <telemetry/plugin/plugin.hpp>

namespace {
char longDescription[64 * 1024];
const bool filled = [] {
  std::memset(longDescription, 'x', sizeof longDescription - 1);
  return true;
}();

class OversizedFieldDocsProbe final : public telemetry::plugin::Probe {
 public:
  static constexpr telemetry::plugin::FieldDoc kFields[] = {
      {"/a", longDescription, "To test the host's limits."}};

  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(R"({"a":1})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(OversizedFieldDocsProbe, "mock-oversized-field-docs", "1.0.0",
                 "/product/internals/mock-oversized-field-docs", "documents too much")
