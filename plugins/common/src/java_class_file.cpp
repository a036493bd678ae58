#include "telemetry/plugins/java_class_file.hpp"

#include <cstdint>
#include <vector>

namespace telemetry::plugins {
namespace {

// Big-endian reader that throws instead of reading past the end.
class ClassReader {
 public:
  explicit ClassReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint32_t u1() { return byteAt(take(1)); }
  std::uint32_t u2() {
    std::size_t at = take(2);
    return byteAt(at) << 8 | byteAt(at + 1);
  }
  std::uint32_t u4() {
    std::uint32_t high = u2();
    return high << 16 | u2();
  }
  std::string_view bytes(std::size_t n) { return bytes_.substr(take(n), n); }
  void skip(std::size_t n) { take(n); }

 private:
  std::size_t take(std::size_t n) {
    if (bytes_.size() - pos_ < n) throw ClassFileError("truncated class file");
    std::size_t at = pos_;
    pos_ += n;
    return at;
  }
  std::uint32_t byteAt(std::size_t i) const { return static_cast<unsigned char>(bytes_[i]); }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct PoolEntry {
  std::uint32_t tag = 0;
  std::string_view utf8;    // tag 1
  std::uint32_t index = 0;  // tag 8: the Utf8 entry of a String
};

}  // namespace

std::optional<std::string> stringConstantField(std::string_view bytes, std::string_view field) {
  ClassReader in(bytes);
  if (in.u4() != 0xCAFEBABE) throw ClassFileError("not a class file");
  in.skip(4);  // minor and major version
  std::vector<PoolEntry> pool(in.u2());
  for (std::size_t i = 1; i < pool.size(); ++i) {
    PoolEntry& entry = pool[i];
    entry.tag = in.u1();
    switch (entry.tag) {
      case 1:
        entry.utf8 = in.bytes(in.u2());
        break;
      case 7:
      case 16:
      case 19:
      case 20:
        in.skip(2);
        break;
      case 8:
        entry.index = in.u2();
        break;
      case 15:
        in.skip(3);
        break;
      case 3:
      case 4:
      case 9:
      case 10:
      case 11:
      case 12:
      case 17:
      case 18:
        in.skip(4);
        break;
      case 5:
      case 6:
        in.skip(8);
        ++i;
        break;  // longs and doubles take two slots
      default:
        throw ClassFileError("unknown constant pool tag " + std::to_string(entry.tag));
    }
  }
  auto utf8At = [&](std::uint32_t index) -> std::optional<std::string_view> {
    if (index == 0 || index >= pool.size() || pool[index].tag != 1) return std::nullopt;
    return pool[index].utf8;
  };
  in.skip(6);                         // access flags, this class, super class
  in.skip(2 * std::size_t{in.u2()});  // interfaces
  std::uint32_t fields = in.u2();
  for (std::uint32_t f = 0; f < fields; ++f) {
    in.skip(2);
    auto name = utf8At(in.u2());
    auto descriptor = utf8At(in.u2());
    std::uint32_t attributes = in.u2();
    for (std::uint32_t a = 0; a < attributes; ++a) {
      auto attributeName = utf8At(in.u2());
      std::uint32_t length = in.u4();
      if (name == field && descriptor == "Ljava/lang/String;" && attributeName == "ConstantValue" &&
          length == 2) {
        std::uint32_t value = in.u2();
        if (value < pool.size() && pool[value].tag == 8) {
          if (auto text = utf8At(pool[value].index)) return std::string(*text);
        }
        return std::nullopt;
      }
      in.skip(length);
    }
  }
  return std::nullopt;
}

}  // namespace telemetry::plugins
