#pragma once
// The symbols a shared object exports, read from its file without loading it.

#include <filesystem>
#include <string>
#include <vector>

namespace telemetry {

/// Names in the dynamic symbol table (.dynsym) of the ELF shared object at `file` that are
/// defined, global or weak, and visible: exactly what dlsym() can find. Unlike the static
/// symbol table (.symtab) it survives `strip`, as distributions ship plugins. Reads only
/// within the file's bounds; throws std::runtime_error naming the problem for anything that
/// is not a well-formed shared object of this machine's class and byte order.
std::vector<std::string> readElfExports(const std::filesystem::path& file);

}  // namespace telemetry
