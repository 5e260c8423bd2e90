// Helpers shared by the fuzz targets: a check that aborts with a message (libFuzzer and
// the regression runner both report an abort as a failure, with the input that caused
// it), and a cursor that turns trailing bytes of an input into small decisions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace alembic::fuzz {

[[noreturn]] inline void fail(const char* file, int line, const char* what,
                              const std::string& detail) {
  std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n%s\n", file, line, what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

#define FUZZ_CHECK(cond, detail)                                             \
  do {                                                                       \
    if (!(cond)) ::alembic::fuzz::fail(__FILE__, __LINE__, #cond, (detail)); \
  } while (0)

/// Reads small numbers from a byte string; past its end every read gives 0.
class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}
  bool empty() const { return pos_ >= bytes_.size(); }
  std::uint8_t u8() { return pos_ < bytes_.size() ? static_cast<std::uint8_t>(bytes_[pos_++]) : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
  /// A value in [0, n); 0 when n is 0.
  std::size_t below(std::size_t n) { return n == 0 ? 0 : u16() % n; }
  /// Up to `n` bytes of what is left.
  std::string_view take(std::size_t n) {
    std::string_view out = pos_ < bytes_.size() ? bytes_.substr(pos_, n) : std::string_view();
    pos_ += out.size();
    return out;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

/// Splits an input at the last `marker`: the text before it and the control bytes after.
/// Without the marker the whole input is text and there are no control bytes.
inline std::pair<std::string_view, std::string_view> split_control(std::string_view input,
                                                                   std::string_view marker) {
  auto at = input.rfind(marker);
  if (at == std::string_view::npos) return {input, {}};
  return {input.substr(0, at), input.substr(at + marker.size())};
}

/// A cheap deterministic hash (FNV-1a), to derive decisions from inputs without control bytes.
inline std::uint64_t hash(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

/// A bound on the line numbers a configuration reader may report for `text`: one more than
/// its '\n' and '\r' characters (a "\r\n" counts twice, which only raises the bound).
inline int count_lines(std::string_view text) {
  int lines = 1;
  for (char c : text) lines += c == '\n' || c == '\r';
  return lines;
}

}  // namespace alembic::fuzz
