// A shared object that is not a telemetry plugin: it exports no descriptor.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int mock_something_else() { return 42; }
