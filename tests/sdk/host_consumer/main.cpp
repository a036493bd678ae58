// Embeds the host as a product would: load a configuration, print the report.
#include <exception>
#include <iostream>

#include <telemetry/config_loader.hpp>
#include <telemetry/host.hpp>
#include <telemetry/version.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: host-consumer CONFIG\n";
    return 2;
  }
  try {
    telemetry::Host host(telemetry::loadConfig(argv[1]));
    std::cout << "telemetry " << telemetry::kVersion << '\n' << host.report() << '\n';
  } catch (const std::exception& e) {
    std::cerr << "host-consumer: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
