#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <system_error>

#include "platform/posix_pipe.h"
#include "platform/stream.h"

#if !defined(MSG_NOSIGNAL)
#define MSG_NOSIGNAL 0  // macOS: SIGPIPE is ignored process-wide instead (see stdio())
#endif

namespace alembic::platform {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Waits until `fd` is ready for `events`; used when a descriptor turns out to be
// non-blocking (an editor may hand us one) so writes never spin.
void wait_ready(int fd, short events) {
  pollfd p{fd, events, 0};
  while (::poll(&p, 1, -1) < 0) {
    if (errno != EINTR) throw_errno("poll");
  }
}

/// Reads with poll(2)+read(2) on `read_fd` plus a private wake-up pipe, so that
/// interrupt_read() can unblock a reader parked on a descriptor nobody will ever close.
class FdStream final : public IoStream {
 public:
  FdStream(int read_fd, int write_fd, bool is_socket)
      : read_fd_(read_fd), write_fd_(write_fd), is_socket_(is_socket) {
    int fds[2];
    if (!detail::open_pipe(fds, true)) throw_errno("pipe (wake-up pipe)");
    wake_read_ = fds[0];
    wake_write_ = fds[1];
  }
  ~FdStream() override {
    ::close(wake_read_);
    ::close(wake_write_);
  }

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    if (capacity == 0) return 0;
    for (;;) {
      if (interrupted_.load()) return 0;
      pollfd fds[2] = {{read_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
      int ready = ::poll(fds, 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        throw_errno("poll");
      }
      if (fds[1].revents != 0 || interrupted_.load()) return 0;
      if (fds[0].revents == 0) continue;
      // POLLHUP / POLLERR still go through read(2): it returns the buffered bytes first,
      // then 0 (end of stream) or the real error.
      ssize_t n = ::read(read_fd_, buffer, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      if (errno == ECONNRESET) return 0;  // a peer that vanished is an end of stream
      throw_errno("read");
    }
  }

  void write_all(std::string_view bytes) override {
    if (write_closed_.load()) {
      throw std::system_error(std::make_error_code(std::errc::broken_pipe), "write after close");
    }
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      ssize_t n =
          is_socket_ ? ::send(write_fd_, data, left, MSG_NOSIGNAL) : ::write(write_fd_, data, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          wait_ready(write_fd_, POLLOUT);
          continue;
        }
        throw_errno("write");
      }
      data += n;
      left -= static_cast<std::size_t>(n);
    }
  }

  void interrupt_read() override {
    interrupted_.store(true);
    char byte = 1;
    // The pipe is non-blocking: if it is already full a wake-up is pending anyway.
    [[maybe_unused]] ssize_t ignored = ::write(wake_write_, &byte, 1);
  }

  void close_write() override {
    if (write_closed_.exchange(true)) return;
    // Only sockets get a half-close; a plain fd is borrowed and stays open for its owner.
    if (is_socket_) ::shutdown(write_fd_, SHUT_WR);
  }

 private:
  int read_fd_;
  int write_fd_;
  bool is_socket_;
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> write_closed_{false};
};

}  // namespace

std::unique_ptr<IoStream> IoStream::stdio() {
  // Without this a write to an editor that has exited raises SIGPIPE and the server dies
  // without a log line; with it the write fails with EPIPE and the loop reports it.
  std::signal(SIGPIPE, SIG_IGN);
  return std::make_unique<FdStream>(STDIN_FILENO, STDOUT_FILENO, false);
}

std::unique_ptr<IoStream> IoStream::descriptors(int read_fd, int write_fd) {
  return std::make_unique<FdStream>(read_fd, write_fd, false);
}

std::unique_ptr<IoStream> IoStream::socket(std::uintptr_t handle) {
  const int fd = static_cast<int>(handle);
  return std::make_unique<FdStream>(fd, fd, true);
}

}  // namespace alembic::platform
