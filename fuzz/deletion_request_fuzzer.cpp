// Fuzz target: a POST /deletions body through DeletionRequest::parse. A request it accepts
// names exactly one installation id, which must be a lower-case UUID.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "report/deletion_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace telemetry::collector;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  DeletionRequest::Problem problem;
  const auto request = DeletionRequest::parse(body, problem);
  if (request && !isInstallationId(request->installation())) std::abort();
  if (!request && problem.message.empty()) std::abort();  // a refusal always says why
  return 0;
}
