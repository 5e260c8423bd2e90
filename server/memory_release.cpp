#include "server/memory_release.h"

#include <spdlog/spdlog.h>

#include "platform/system.h"

namespace alembic::server {

size_t MemoryRelease::release() {
  // What the process holds (platform::memory_held_bytes: resident anonymous memory on
  // Linux; 0 where nothing can tell, and then nothing is ever released here).
  const size_t before = platform::memory_held_bytes();
  if (before < floor_) floor_ = before;
  if (before - floor_ < threshold_) return 0;
  platform::allocator_trim();
  floor_ = platform::memory_held_bytes();
  const size_t released = before > floor_ ? before - floor_ : 0;
  spdlog::debug("returned {:.1f} MB of freed heap memory to the system ({:.1f} MB held before)",
                static_cast<double>(released) / (1 << 20), static_cast<double>(before) / (1 << 20));
  return released;
}

}  // namespace alembic::server
