// Built for a future ABI 2.0: the host must refuse it before reading its descriptor.
#include <boost/dll/alias.hpp>
#include <telemetry/plugin/abi.hpp>

namespace mock_export {
extern const telemetry::plugin::AbiVersion abi;
const telemetry::plugin::AbiVersion abi{2, 0};
extern const int descriptor;
const int descriptor = 0;  // a different layout the host must never read
}  // namespace mock_export

BOOST_DLL_ALIAS(mock_export::abi, telemetry_plugin_abi)
BOOST_DLL_ALIAS(mock_export::descriptor, telemetry_plugin_descriptor)
