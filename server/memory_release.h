// Gives freed heap memory back to the system in long sessions. glibc keeps what a burst
// of work freed (a thousand diagnostics built and dropped, a project re-indexed) inside
// its arenas, so a server that once needed 40 MB keeps 40 MB resident for the rest of
// the day. When the server goes quiet after a burst of messages (Endpoint::on_idle), if
// the free memory held has grown by more than a threshold since the last release,
// malloc_trim returns its whole pages (the
// soak test, tests/soak, checks that memory comes back to where it was after the
// warm-up). A no-op outside glibc and under sanitizers (their allocators report none).
#pragma once

#include <cstddef>

namespace alembic::server {

class MemoryRelease {
 public:
  /// `threshold`: bytes of free heap memory, beyond what was held after the last release,
  /// that make the next call release it.
  explicit MemoryRelease(size_t threshold = size_t{4} << 20) : threshold_(threshold) {}

  /// Call after a burst of work. Returns the bytes of free memory it released pages of
  /// (0 when it did nothing).
  size_t release();

 private:
  size_t threshold_;
  size_t floor_ = 0;  ///< free bytes held just after the last release (or the lowest since)
};

}  // namespace alembic::server
