// Assembles the report JSON, key for key as the spec shows it: the product block, each
// probe's section at its pointer, and the usage counts.
#pragma once

#include <string>
#include <vector>

#include <Poco/JSON/Object.h>

#include "probes/probe_runner.hpp"
#include "telemetry/config.hpp"
#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

class ReportBuilder {
 public:
  ReportBuilder(ProductConfig product, std::string installationId);

  /// The one-time anonymous report: installation, product and telemetry-enabled only.
  Poco::JSON::Object::Ptr initial(bool telemetryEnabled) const;

  /// The full report. Sections of probes that were not applicable, failed or returned
  /// unusable JSON (see sectionProblem()) are left out with a warning; when two probes fill one
  /// section, arrays are merged and otherwise the first wins.
  Poco::JSON::Object::Ptr full(const std::vector<ProbeOutcome>& outcomes,
                               const UsageSnapshot& usage) const;

 private:
  Poco::JSON::Object::Ptr product() const;
  ProductConfig product_;
  std::string installationId_;
};

/// Why a probe's value cannot go into the report (over kMaxProbeOutputBytes, not UTF-8,
/// invalid JSON, a NUL in a key or string, not the type its section needs), or "" when it can.
std::string sectionProblem(const ProbeOutcome& outcome);

/// JSON text of a report: 2-space indented, or compact on one line. Always valid UTF-8:
/// bytes that are not are replaced by U+FFFD (and logged as an error).
std::string toJsonText(const Poco::JSON::Object::Ptr& report, bool pretty = true);

}  // namespace telemetry
