#include "command_registry.hpp"

#include <algorithm>
#include <utility>

namespace telemetry::cli {
namespace {

// A function-local static: command files register during static initialization, in an
// order the language leaves open, so the list must exist before the first of them.
std::vector<CommandRegistration>& registrations() {
  static std::vector<CommandRegistration> all;
  return all;
}

}  // namespace

void runWhenChosen(CLI::App& command, CommandRun& chosen, CommandRun run) {
  command.callback([&chosen, run = std::move(run)] { chosen = run; });
}

bool registerCommand(CommandRegistration registration) {
  registrations().push_back(registration);
  return true;
}

std::vector<CommandRegistration> registeredCommands() {
  std::vector<CommandRegistration> sorted = registrations();
  std::ranges::stable_sort(sorted, {}, &CommandRegistration::helpPosition);
  return sorted;
}

}  // namespace telemetry::cli
