// Connects to a loopback port without declaring the network need: the sandbox refuses it.
#include "loopback_connection.hpp"

TELEMETRY_PLUGIN(mock::LoopbackConnectionProbe, "mock-connects-undeclared", "1.0.0",
                 "/product/internals/mock-connects-undeclared",
                 "connects to a loopback port without declaring network")
