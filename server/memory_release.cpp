#include "server/memory_release.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <spdlog/spdlog.h>

namespace alembic::server {

size_t MemoryRelease::release() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  // fordblks: free bytes the allocator holds, in every arena. mallinfo2 walks every free
  // chunk of every bin: microseconds on a small heap, 10-20 ms on the 250 MB heap of a
  // 100,000-migration project, hence only when the server is idle (server.cpp).
  const size_t free_bytes = mallinfo2().fordblks;
  if (free_bytes < floor_) floor_ = free_bytes;
  if (free_bytes - floor_ < threshold_) return 0;
  malloc_trim(0);
  floor_ = mallinfo2().fordblks;
  spdlog::debug("returned the free pages of {:.1f} MB of freed heap memory to the system",
                static_cast<double>(free_bytes) / (1 << 20));
  return free_bytes;
#else
  (void)threshold_;
  return 0;
#endif
}

}  // namespace alembic::server
