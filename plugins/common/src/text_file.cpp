#include "telemetry/plugins/text_file.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace telemetry::plugins {

std::optional<std::string> readTextFile(const std::filesystem::path& file, std::size_t maxSize) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (!ec && size > maxSize) {
    throw std::runtime_error("'" + file.string() + "' is larger than " + std::to_string(maxSize) +
                             " bytes");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + file.string() + "'");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace telemetry::plugins
