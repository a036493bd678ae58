// Built as against SDK 1.0, whose Descriptor ends before `needs`: the bytes after it (all
// ones here) are not the plugin's, and a host reading them would grant it the network.
#include <cstdint>

#include <boost/dll/alias.hpp>
#include <telemetry/plugin/plugin.hpp>

namespace {

class OldProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(R"({"abi":"1.0"})");
  }
};

}  // namespace

namespace mock_export {

/// telemetry::plugin::Descriptor as ABI 1.0 laid it out.
struct DescriptorOneZero {
  const char* name;
  const char* version;
  const char* section;
  const char* description;
  telemetry::plugin::Probe* (*create)(std::string& error) noexcept;
  void (*destroy)(telemetry::plugin::Probe* probe) noexcept;
  telemetry::plugin::Result (*collect)(telemetry::plugin::Probe* probe,
                                       const telemetry::plugin::Context& context) noexcept;
};

struct DescriptorAndWhatFollows {
  DescriptorOneZero descriptor;
  std::uint32_t following;
};

extern const telemetry::plugin::AbiVersion abi;
const telemetry::plugin::AbiVersion abi{1, 0};
extern const DescriptorAndWhatFollows descriptor;
const DescriptorAndWhatFollows descriptor = {
    {"mock-abi-1-0", "1.0.0", "/product/internals/mock-abi-1-0", "built against SDK 1.0",
     &telemetry::plugin::detail::create<OldProbe>, &telemetry::plugin::detail::destroy<OldProbe>,
     &telemetry::plugin::detail::collect<OldProbe>},
    0xffffffffu};

}  // namespace mock_export

BOOST_DLL_ALIAS(mock_export::abi, telemetry_plugin_abi)
BOOST_DLL_ALIAS(mock_export::descriptor, telemetry_plugin_descriptor)
