// Gives freed heap memory back to the system in long sessions. glibc keeps what a burst
// of work freed (a thousand diagnostics built and dropped, a project re-indexed) inside
// its arenas, so a server that once needed 40 MB keeps 40 MB resident for the rest of
// the day. When the server goes quiet after a burst of messages (Endpoint::on_idle), if
// its resident anonymous memory has grown by more than a threshold since the last
// release, malloc_trim returns the free pages (the
// soak test, tests/soak, checks that memory comes back to where it was after the
// warm-up). A no-op outside glibc and under sanitizers (their allocators report none).
#pragma once

#include <cstddef>

namespace alembic::server {

class MemoryRelease {
 public:
  /// `threshold`: bytes of resident anonymous memory (the allocator's free bytes where the
  /// system does not tell), beyond what was held after the last release, that make the
  /// next call release it.
  explicit MemoryRelease(size_t threshold = size_t{1} << 20) : threshold_(threshold) {}

  /// Call after a burst of work. Returns the bytes it gave back (0 when it did nothing,
  /// or when what had grown was memory in use).
  size_t release();

 private:
  size_t threshold_;
  size_t floor_ = 0;  ///< bytes held just after the last release (or the lowest since)
};

}  // namespace alembic::server
