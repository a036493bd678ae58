// Built as against SDK 1.1, whose Descriptor ends after `needs`: what follows it (here a
// field-docs table pointing nowhere) is not the plugin's, and a host reading it would crash.
#include <cstdint>

#include <boost/dll/alias.hpp>
#include <telemetry/plugin/plugin.hpp>

namespace {

class OldProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(R"({"abi":"1.1"})");
  }
};

}  // namespace

namespace mock_export {

/// telemetry::plugin::Descriptor as ABI 1.1 laid it out.
struct DescriptorOneOne {
  const char* name;
  const char* version;
  const char* section;
  const char* description;
  telemetry::plugin::Probe* (*create)(std::string& error) noexcept;
  void (*destroy)(telemetry::plugin::Probe* probe) noexcept;
  telemetry::plugin::Result (*collect)(telemetry::plugin::Probe* probe,
                                       const telemetry::plugin::Context& context) noexcept;
  telemetry::plugin::Needs needs;
};

struct DescriptorAndWhatFollows {
  DescriptorOneOne descriptor;
  std::uintptr_t following[2];
};

extern const telemetry::plugin::AbiVersion abi;
const telemetry::plugin::AbiVersion abi{1, 1};
extern const DescriptorAndWhatFollows descriptor;
const DescriptorAndWhatFollows descriptor = {
    {"mock-abi-1-1", "1.0.0", "/product/internals/mock-abi-1-1", "built against SDK 1.1",
     &telemetry::plugin::detail::create<OldProbe>, &telemetry::plugin::detail::destroy<OldProbe>,
     &telemetry::plugin::detail::collect<OldProbe>, 0},
    {0x10, 7}};

}  // namespace mock_export

BOOST_DLL_ALIAS(mock_export::abi, telemetry_plugin_abi)
BOOST_DLL_ALIAS(mock_export::descriptor, telemetry_plugin_descriptor)
