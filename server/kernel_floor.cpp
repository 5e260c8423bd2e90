#include "server/kernel_floor.h"

#include "platform/system.h"

#include <charconv>

namespace alembic {

KernelVersion kernel_floor() {
#if defined(__aarch64__)
  return {3, 7};
#else
  return {3, 2};
#endif
}

namespace {

const char* architecture() {
#if defined(__aarch64__)
  return "aarch64";
#elif defined(__x86_64__)
  return "x86_64";
#else
  return "this architecture";
#endif
}

// "MAJOR.MINOR" at the start of `text`, or false.
bool parse_release(std::string_view text, KernelVersion& out) {
  const char* end = text.data() + text.size();
  auto major = std::from_chars(text.data(), end, out.major);
  if (major.ec != std::errc{} || major.ptr == end || *major.ptr != '.') return false;
  auto minor = std::from_chars(major.ptr + 1, end, out.minor);
  return minor.ec == std::errc{};
}

}  // namespace

std::string kernel_too_old_message(std::string_view release, KernelVersion floor) {
  KernelVersion have;
  if (!parse_release(release, have)) return {};
  if (have.major > floor.major || (have.major == floor.major && have.minor >= floor.minor))
    return {};
  return "alembic-lsp: this Linux kernel is " + std::string(release) + "; alembic-lsp for " +
         architecture() + " needs Linux " + std::to_string(floor.major) + "." +
         std::to_string(floor.minor) + " or newer";
}

std::string running_kernel_too_old() {
  // Empty off Linux: no floor to check.
  const std::string release = platform::linux_kernel_release();
  if (release.empty()) return {};
  return kernel_too_old_message(release, kernel_floor());
}

}  // namespace alembic
