// Runs a shell command and returns its standard output, so tests can ask the real tool
// (unzip, java) for the value a probe must report instead of hard-coding it.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

namespace telemetry::plugins::testing {

/// Standard output with trailing line ends removed; throws when the command fails.
inline std::string commandOutput(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  int status = ::pclose(pipe);
  if (status != 0)
    throw std::runtime_error("command failed (" + std::to_string(status) + "): " + command);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

}  // namespace telemetry::plugins::testing
