#include "server/memory_release.h"

#include <spdlog/spdlog.h>

#include "platform/system.h"

namespace alembic::server {

size_t MemoryRelease::release() {
  // Free bytes the allocator holds, in every arena (0 where the allocator cannot tell:
  // then nothing is ever released here). The trim only runs after a burst freed megabytes.
  const size_t free_bytes = platform::allocator_free_bytes();
  if (free_bytes < floor_) floor_ = free_bytes;
  if (free_bytes - floor_ < threshold_) return 0;
  platform::allocator_trim();
  floor_ = platform::allocator_free_bytes();
  spdlog::debug("returned the free pages of {:.1f} MB of freed heap memory to the system",
                static_cast<double>(free_bytes) / (1 << 20));
  return free_bytes;
}

}  // namespace alembic::server
