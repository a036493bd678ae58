// How CLI commands plug into `telemetry`: each command file registers the subcommand it
// adds, so a new command touches its own file and the CMake source list, nothing else.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "telemetry/config.hpp"

namespace telemetry::cli {

/// What the chosen command gets once the configuration is loaded.
struct Invocation {
  const Config& config;
  /// The command line after the program name (`run` runs it again after hibernating).
  const std::vector<std::string>& args;
};

/// Runs the chosen command: returns the exit code and may throw (main translates
/// exceptions to exit codes).
using CommandRun = std::function<int(const Invocation&)>;

/// Adds one subcommand with its options and help to `app`; parsing it sets `chosen`.
using CommandSetup = void (*)(CLI::App& app, CommandRun& chosen);

/// Makes `run` the chosen command when parsing meets `command` (a subcommand of `app`).
void runWhenChosen(CLI::App& command, CommandRun& chosen, CommandRun run);

struct CommandRegistration {
  /// Where the command is listed in `telemetry --help`, ascending.
  int helpPosition;
  CommandSetup setup;
};

/// Adds a command to the CLI. Call from a namespace-scope initializer in the command's
/// own file, under a name of its own (a unity build compiles several commands in one run):
/// `[[maybe_unused]] const bool kSendRegistered = registerCommand({30, setupSend});`
bool registerCommand(CommandRegistration registration);

/// Every registered command, in help order.
std::vector<CommandRegistration> registeredCommands();

}  // namespace telemetry::cli
