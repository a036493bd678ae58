// Runs a program the way scripts and operators do, and captures what it printed.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

namespace telemetry::test {

struct Outcome {
  int exitCode;
  std::string out;
  std::string err;
};

/// Runs `program` with `args` in `cwd`, feeding `input` on stdin; `env` is added to this
/// process's environment. Waits for it to end.
inline Outcome runProgram(const std::string& program, const std::vector<std::string>& args,
                          const std::filesystem::path& cwd, const std::string& input = "",
                          const std::map<std::string, std::string>& env = {}) {
  Poco::Pipe in, out, err;
  Poco::Process::Env environment(env.begin(), env.end());
  Poco::ProcessHandle handle =
      Poco::Process::launch(program, args, cwd.string(), &in, &out, &err, environment);
  Poco::PipeOutputStream toChild(in);
  toChild << input;
  toChild.close();
  // stderr is drained after stdout; the outputs of these programs are small.
  Poco::PipeInputStream fromOut(out), fromErr(err);
  std::string outText, errText;
  Poco::StreamCopier::copyToString(fromOut, outText);
  Poco::StreamCopier::copyToString(fromErr, errText);
  return {handle.wait(), outText, errText};
}

}  // namespace telemetry::test
