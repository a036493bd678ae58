// Connects to a loopback port and declares the network need, so it may.
#include "loopback_connection.hpp"

TELEMETRY_PLUGIN(mock::LoopbackConnectionProbe, "mock-connects-declared", "1.0.0",
                 "/product/internals/mock-connects-declared",
                 "connects to a loopback port, network declared", telemetry::plugin::Need::network)
