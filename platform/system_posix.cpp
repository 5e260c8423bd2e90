#include <sys/utsname.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "platform/system.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace alembic::platform {

namespace fs = std::filesystem;

fs::path executable_path() {
  std::error_code ec;
#if defined(__APPLE__)
  char buffer[4096];
  uint32_t size = sizeof buffer;
  if (_NSGetExecutablePath(buffer, &size) != 0) return {};
  fs::path exe = fs::canonical(buffer, ec);
  return ec ? fs::path(buffer) : exe;
#else
  for (const char* link : {"/proc/self/exe", "/proc/curproc/file"}) {
    fs::path exe = fs::read_symlink(link, ec);
    if (!ec && !exe.empty()) return exe;
  }
  return {};
#endif
}

bool local_time(std::time_t t, std::tm& out) {
  return localtime_r(&t, &out) != nullptr;
}

std::string linux_kernel_release() {
#if defined(__linux__)
  utsname name{};
  if (uname(&name) != 0) return {};
  return name.release;
#else
  return {};
#endif
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
namespace {

// Resident anonymous memory in bytes, from /proc/self/status: a read of a few microseconds
// whatever the size of the heap. 0 when there is no such file.
std::size_t resident_anonymous() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  std::size_t kb = 0;
  while (std::fgets(line, sizeof line, status) != nullptr) {
    if (std::strncmp(line, "RssAnon:", 8) == 0) {
      kb = std::strtoull(line + 8, nullptr, 10);
      break;
    }
  }
  std::fclose(status);
  return kb * 1024;
}

}  // namespace

// Resident memory sees pages that were returned and then dirtied again, which the
// allocator's own free count (mallinfo2's fordblks, the fallback) cannot; and mallinfo2
// walks every free chunk of the heap: 10-20 ms on the 250 MB heap of a 100,000-migration
// project.
std::size_t memory_held_bytes() {
  const std::size_t resident = resident_anonymous();
  return resident != 0 ? resident : mallinfo2().fordblks;
}
void allocator_trim() {
  malloc_trim(0);
}
void allocator_configure_for_long_run() {
  // A fixed threshold also fixes the trim threshold (no dynamic adjustment of either).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
}
#else
std::size_t memory_held_bytes() {
  return 0;
}
void allocator_trim() {}
void allocator_configure_for_long_run() {}
#endif

void binary_stdio() {}

std::vector<std::string> arguments(int argc, char** argv) {
  return std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc);
}

void utf8_console() {}

}  // namespace alembic::platform
