#include "state/installation_id.hpp"

#include "plugins/plugin_log.hpp"

namespace telemetry {
namespace {

bool isLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::optional<std::string> installationIdProblem(std::string_view id) {
  if (id.empty()) return "the installation id in the state store is empty";
  // 8-4-4-4-12 lower-case hex digits; the version digit 4, the variant 8, 9, a or b.
  bool uuid = id.size() == 36;
  for (std::size_t i = 0; uuid && i < id.size(); ++i) {
    uuid = (i == 8 || i == 13 || i == 18 || i == 23) ? id[i] == '-' : isLowerHex(id[i]);
  }
  const std::string quoted = "'" + PluginLog::printable(id.substr(0, 100)) + "'";
  if (!uuid) return "the installation id " + quoted + " in the state store is not a UUID";
  if (id[14] != '4' || (id[19] != '8' && id[19] != '9' && id[19] != 'a' && id[19] != 'b')) {
    return "the installation id " + quoted + " in the state store is not a random UUID (v4)";
  }
  return std::nullopt;
}

}  // namespace telemetry
