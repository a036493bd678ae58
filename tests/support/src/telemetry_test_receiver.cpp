// telemetry-test-receiver: a TestReceiver as a program, for CLI and integration tests that
// need a collector stand-in outside their own process.
//   telemetry-test-receiver (--cert FILE --key FILE | --plain) --port-file F
//                           [--requests-file F] [--script "202,500,429:3,hang,close"]
// Writes its URL to the port file once it accepts requests, appends each request to the
// requests file as one JSON line {"method","path","headers","body"}, and stops on SIGTERM
// or SIGINT.
#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Poco/JSON/Object.h>

#include "telemetry/test/test_receiver.hpp"

namespace {

using telemetry::test::TestReceiver;

struct Arguments {
  TestReceiver::Options options;
  std::string portFile;
  std::string requestsFile;
  std::string script;
};

Arguments parse(int argc, char** argv) {
  Arguments parsed;
  parsed.options.certificate.clear();
  parsed.options.key.clear();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--plain") {
      parsed.options.tls = false;
      continue;
    }
    if (i + 1 == argc) throw std::invalid_argument(flag + " needs a value");
    const std::string value = argv[++i];
    if (flag == "--cert") {
      parsed.options.certificate = value;
    } else if (flag == "--key") {
      parsed.options.key = value;
    } else if (flag == "--port-file") {
      parsed.portFile = value;
    } else if (flag == "--requests-file") {
      parsed.requestsFile = value;
    } else if (flag == "--script") {
      parsed.script = value;
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  if (parsed.portFile.empty()) throw std::invalid_argument("--port-file is required");
  if (parsed.options.tls && (parsed.options.certificate.empty() || parsed.options.key.empty())) {
    throw std::invalid_argument("--cert and --key are required unless --plain");
  }
  return parsed;
}

std::string jsonLine(const TestReceiver::Request& request) {
  Poco::JSON::Object headers(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [name, value] : request.headers) headers.set(name, value);
  Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
  line.set("method", request.method);
  line.set("path", request.path);
  line.set("headers", headers);
  line.set("body", request.body);
  std::ostringstream out;
  line.stringify(out);
  return out.str();
}

/// Written whole, then renamed, so a reader never sees half a URL.
void writeAtomically(const std::filesystem::path& file, const std::string& text) {
  const std::filesystem::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << text << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write " + partial.string());
  }
  std::filesystem::rename(partial, file);
}

}  // namespace

int main(int argc, char** argv) {
  // Blocked before any thread starts, so only sigwait() below sees them.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
  try {
    Arguments arguments = parse(argc, argv);
    std::mutex fileMutex;
    std::ofstream requests;
    if (!arguments.requestsFile.empty()) {
      requests.open(arguments.requestsFile, std::ios::app);
      if (!requests) throw std::runtime_error("cannot open " + arguments.requestsFile);
      arguments.options.onRequest = [&](const TestReceiver::Request& request) {
        const std::string line = jsonLine(request);
        std::lock_guard lock(fileMutex);
        requests << line << '\n' << std::flush;
      };
    }
    const auto script = TestReceiver::parseScript(arguments.script);
    TestReceiver receiver(std::move(arguments.options));
    receiver.script(script);
    writeAtomically(arguments.portFile, receiver.url());
    int signal = 0;
    sigwait(&stopSignals, &signal);
    receiver.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "telemetry-test-receiver: " << e.what() << '\n';
    return 2;
  }
}
