#include <sys/utsname.h>

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
// fordblks: free bytes the allocator holds, in every arena (mallinfo2 walks their bins,
// a few microseconds).
std::size_t allocator_free_bytes() {
  return mallinfo2().fordblks;
}
void allocator_trim() {
  malloc_trim(0);
}
#else
std::size_t allocator_free_bytes() {
  return 0;
}
void allocator_trim() {}
#endif

void binary_stdio() {}

}  // namespace alembic::platform
