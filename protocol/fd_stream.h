// Internal: a ByteStream over POSIX file descriptors, shared by the stdio and TCP
// transports. Not part of the public interface (see transport.h).
#pragma once

#include <atomic>

#include "protocol/transport.h"

namespace alembic::protocol::detail {

/// Reads with poll(2)+read(2) on `read_fd` plus a private wake-up pipe, so that
/// interrupt_read() can unblock a reader parked on a descriptor nobody will ever close
/// (stdin of a language server).
class FdStream final : public ByteStream {
 public:
  /// `is_socket` selects send(MSG_NOSIGNAL) and shutdown(2) for the write side.
  FdStream(int read_fd, int write_fd, bool is_socket);
  ~FdStream() override;
  FdStream(const FdStream&) = delete;
  FdStream& operator=(const FdStream&) = delete;

  std::size_t read_some(char* buffer, std::size_t capacity) override;
  void write_all(std::string_view bytes) override;
  void interrupt_read() override;
  void close_write() override;

 private:
  int read_fd_;
  int write_fd_;
  bool is_socket_;
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> write_closed_{false};
};

}  // namespace alembic::protocol::detail
