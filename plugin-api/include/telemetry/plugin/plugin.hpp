// Everything a probe plugin includes: #include <telemetry/plugin/plugin.hpp>
#pragma once

#include "telemetry/plugin/abi.hpp"
#include "telemetry/plugin/context.hpp"
#include "telemetry/plugin/descriptor.hpp"
#include "telemetry/plugin/export.hpp"
#include "telemetry/plugin/field_doc.hpp"
#include "telemetry/plugin/needs.hpp"
#include "telemetry/plugin/probe.hpp"
#include "telemetry/plugin/result.hpp"
