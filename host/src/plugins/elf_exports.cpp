#include "plugins/elf_exports.hpp"

#include <elf.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace telemetry {
namespace {

// The plugin file is untrusted: every offset and size it holds is checked against the
// file's length before it is used.
class ElfFile {
 public:
  explicit ElfFile(const std::filesystem::path& file)
      : in_(file, std::ios::binary), size_(std::filesystem::file_size(file)) {
    if (!in_) throw std::runtime_error("cannot open " + file.string());
  }

  template <typename T>
  T read(std::uint64_t offset) {
    T value;
    readBytes(offset, sizeof(T), reinterpret_cast<char*>(&value));
    return value;
  }

  std::vector<char> readRange(std::uint64_t offset, std::uint64_t length) {
    std::vector<char> bytes(static_cast<std::size_t>(length));
    readBytes(offset, length, bytes.data());
    return bytes;
  }

 private:
  void readBytes(std::uint64_t offset, std::uint64_t length, char* out) {
    if (offset > size_ || length > size_ - offset) {
      throw std::runtime_error("truncated ELF file (a table lies beyond its end)");
    }
    in_.seekg(static_cast<std::streamoff>(offset));
    if (!in_.read(out, static_cast<std::streamsize>(length))) {
      throw std::runtime_error("cannot read the ELF file");
    }
  }

  std::ifstream in_;
  std::uint64_t size_;
};

bool isExported(const Elf64_Sym& symbol) {
  const unsigned binding = ELF64_ST_BIND(symbol.st_info);
  const unsigned visibility = ELF64_ST_VISIBILITY(symbol.st_other);
  return symbol.st_shndx != SHN_UNDEF && (binding == STB_GLOBAL || binding == STB_WEAK) &&
         (visibility == STV_DEFAULT || visibility == STV_PROTECTED);
}

}  // namespace

std::vector<std::string> readElfExports(const std::filesystem::path& file) {
  ElfFile elf(file);
  const auto header = elf.read<Elf64_Ehdr>(0);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    throw std::runtime_error("not an ELF file");
  }
  constexpr unsigned char kNativeData =
      std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != kNativeData) {
    throw std::runtime_error("an ELF file for another kind of machine (class or byte order)");
  }
  if (header.e_type != ET_DYN) throw std::runtime_error("an ELF file but not a shared object");
  if (header.e_shentsize != sizeof(Elf64_Shdr)) {
    throw std::runtime_error("malformed ELF section header table");
  }

  std::vector<std::string> names;
  for (std::uint64_t i = 0; i < header.e_shnum; ++i) {
    const auto section = elf.read<Elf64_Shdr>(header.e_shoff + i * sizeof(Elf64_Shdr));
    if (section.sh_type != SHT_DYNSYM) continue;
    if (section.sh_entsize != sizeof(Elf64_Sym) || section.sh_link >= header.e_shnum) {
      throw std::runtime_error("malformed ELF dynamic symbol table");
    }
    const auto strings =
        elf.read<Elf64_Shdr>(header.e_shoff + section.sh_link * sizeof(Elf64_Shdr));
    const std::vector<char> text = elf.readRange(strings.sh_offset, strings.sh_size);
    const std::vector<char> table = elf.readRange(section.sh_offset, section.sh_size);
    for (std::size_t offset = 0; offset + sizeof(Elf64_Sym) <= table.size();
         offset += sizeof(Elf64_Sym)) {
      Elf64_Sym symbol;
      std::memcpy(&symbol, table.data() + offset, sizeof symbol);
      if (!isExported(symbol) || symbol.st_name >= text.size()) continue;
      const char* name = text.data() + symbol.st_name;
      const auto length = strnlen(name, text.size() - symbol.st_name);
      if (length > 0) names.emplace_back(name, length);
    }
  }
  return names;
}

}  // namespace telemetry
