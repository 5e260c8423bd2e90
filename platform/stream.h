// Blocking byte I/O on the process's stdio, a pair of descriptors or a connected socket,
// with a read that another thread can interrupt (stdin of a language server is never
// closed by anyone). protocol/ wraps it in its ByteStream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace alembic::platform {

class IoStream {
 public:
  /// stdin and stdout. Also makes a write to a vanished reader an error instead of a
  /// signal that ends the process (SIGPIPE on POSIX).
  static std::unique_ptr<IoStream> stdio();
  /// Two open C runtime descriptors (not closed by the stream); -1 for none.
  static std::unique_ptr<IoStream> descriptors(int read_fd, int write_fd);
  /// A connected socket's native handle (not closed by the stream).
  static std::unique_ptr<IoStream> socket(std::uintptr_t handle);

  virtual ~IoStream() = default;
  /// Blocks until bytes arrive; 0 at end of stream or once interrupt_read() was called.
  /// Throws std::system_error on an I/O error.
  virtual std::size_t read_some(char* buffer, std::size_t capacity) = 0;
  /// Writes every byte; throws std::system_error if the peer is gone.
  virtual void write_all(std::string_view bytes) = 0;
  /// Makes a blocked (and every later) read_some return 0; safe from any thread.
  virtual void interrupt_read() = 0;
  /// Tells a socket's peer no more bytes will come (a borrowed descriptor stays open).
  virtual void close_write() = 0;
};

}  // namespace alembic::platform
