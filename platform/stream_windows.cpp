// IoStream on Windows. Pipes (stdio from an editor): PeekNamedPipe, then ReadFile of what
// is there, waiting on an event that interrupt_read sets; other handles: a blocking
// ReadFile that interrupt_read cancels with CancelSynchronousIo. Sockets: recv/send, with select()
// waking every 100 ms to see an interrupt.
#include <io.h>
#include <windows.h>
#include <winsock2.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <system_error>

#include "platform/stream.h"

namespace alembic::platform {
namespace {

[[noreturn]] void throw_last_error(const char* what) {
  throw std::system_error(static_cast<int>(GetLastError()), std::system_category(), what);
}

class HandleStream final : public IoStream {
 public:
  HandleStream(HANDLE read, HANDLE write)
      : read_(read), write_(write), wake_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {
    is_pipe_ = read_ && read_ != INVALID_HANDLE_VALUE && GetFileType(read_) == FILE_TYPE_PIPE;
  }
  ~HandleStream() override {
    if (reader_) CloseHandle(reader_);
    if (wake_) CloseHandle(wake_);
  }

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    if (capacity == 0 || read_ == INVALID_HANDLE_VALUE || !read_) return 0;
    return is_pipe_ ? read_pipe(buffer, capacity) : read_blocking(buffer, capacity);
  }

 private:
  // A pipe (how every editor starts a language server): PeekNamedPipe says how much is
  // there without blocking, so the wait in between is on the wake-up event and an
  // interrupt is seen at once. The wait grows from 1 ms after data to 50 ms when idle.
  std::size_t read_pipe(char* buffer, std::size_t capacity) {
    DWORD wait_ms = 1;
    for (;;) {
      if (interrupted_) return 0;
      DWORD available = 0;
      if (!PeekNamedPipe(read_, nullptr, 0, nullptr, &available, nullptr)) {
        const DWORD error = GetLastError();
        if (error == ERROR_BROKEN_PIPE || error == ERROR_PIPE_NOT_CONNECTED) return 0;
        // A pipe that cannot be peeked (wine's stdin from a Unix pipe): blocking reads.
        is_pipe_ = false;
        return read_blocking(buffer, capacity);
      }
      if (available > 0) {
        DWORD got = 0;
        const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(capacity, available));
        if (!ReadFile(read_, buffer, chunk, &got, nullptr)) {
          if (GetLastError() == ERROR_BROKEN_PIPE) return 0;
          throw_last_error("ReadFile");
        }
        return got;
      }
      WaitForSingleObject(wake_, wait_ms);
      wait_ms = std::min<DWORD>(wait_ms * 2, 50);
    }
  }

  // Anything else (a file, a console): a blocking ReadFile, cancelled by interrupt_read
  // with CancelSynchronousIo on the reading thread.
  std::size_t read_blocking(char* buffer, std::size_t capacity) {
    {
      std::lock_guard lock(mutex_);
      if (interrupted_) return 0;
      if (!reader_)
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &reader_, 0,
                        FALSE, DUPLICATE_SAME_ACCESS);
      reading_ = true;
    }
    DWORD got = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(capacity, 1 << 20));
    const BOOL ok = ReadFile(read_, buffer, chunk, &got, nullptr);
    const DWORD error = ok ? 0 : GetLastError();
    {
      std::lock_guard lock(mutex_);
      reading_ = false;
      if (interrupted_) return 0;
    }
    if (ok) return got;
    // The writer closed its end or the read was cancelled: end of stream.
    if (error == ERROR_BROKEN_PIPE || error == ERROR_OPERATION_ABORTED ||
        error == ERROR_HANDLE_EOF || error == ERROR_NO_DATA)
      return 0;
    SetLastError(error);
    throw_last_error("ReadFile");
  }

 public:
  void write_all(std::string_view bytes) override {
    if (write_closed_.load()) {
      throw std::system_error(std::make_error_code(std::errc::broken_pipe), "write after close");
    }
    while (!bytes.empty()) {
      DWORD put = 0;
      const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(bytes.size(), 1 << 20));
      if (!WriteFile(write_, bytes.data(), chunk, &put, nullptr)) throw_last_error("WriteFile");
      bytes.remove_prefix(put);
    }
  }

  void interrupt_read() override {
    interrupted_ = true;
    if (wake_) SetEvent(wake_);
    if (is_pipe_) return;
    // A blocking read that starts later sees the flag; one in progress is cancelled, again
    // until it has returned (it may not have reached the kernel at the first try).
    for (int attempt = 0; attempt < 200; ++attempt) {
      {
        std::lock_guard lock(mutex_);
        if (!reading_ || !reader_) return;
        CancelSynchronousIo(reader_);
      }
      Sleep(5);
    }
  }

  void close_write() override { write_closed_.store(true); }

 private:
  HANDLE read_;
  HANDLE write_;
  HANDLE wake_;  ///< set by interrupt_read
  std::atomic<bool> is_pipe_{false};
  std::mutex mutex_;
  HANDLE reader_ = nullptr;  ///< the thread that reads (for CancelSynchronousIo)
  bool reading_ = false;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> write_closed_{false};
};

class SocketStream final : public IoStream {
 public:
  explicit SocketStream(SOCKET s) : socket_(s) {}

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    if (capacity == 0) return 0;
    for (;;) {
      if (interrupted_.load()) return 0;
      fd_set readable;
      FD_ZERO(&readable);
      FD_SET(socket_, &readable);
      timeval tick{0, 100 * 1000};
      const int ready = select(0, &readable, nullptr, nullptr, &tick);
      if (ready == SOCKET_ERROR)
        throw std::system_error(WSAGetLastError(), std::system_category(), "select");
      if (interrupted_.load()) return 0;
      if (ready == 0) continue;
      const int n =
          recv(socket_, buffer, static_cast<int>(std::min<std::size_t>(capacity, 1 << 20)), 0);
      if (n >= 0) return static_cast<std::size_t>(n);
      const int error = WSAGetLastError();
      if (error == WSAECONNRESET || error == WSAECONNABORTED) return 0;
      if (error == WSAEWOULDBLOCK || error == WSAEINTR) continue;
      throw std::system_error(error, std::system_category(), "recv");
    }
  }

  void write_all(std::string_view bytes) override {
    if (write_closed_.load()) {
      throw std::system_error(std::make_error_code(std::errc::broken_pipe), "write after close");
    }
    while (!bytes.empty()) {
      const int n = send(socket_, bytes.data(),
                         static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 20)), 0);
      if (n == SOCKET_ERROR) {
        const int error = WSAGetLastError();
        if (error == WSAEWOULDBLOCK || error == WSAEINTR) {
          Sleep(1);
          continue;
        }
        throw std::system_error(error, std::system_category(), "send");
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  void interrupt_read() override { interrupted_.store(true); }

  void close_write() override {
    if (write_closed_.exchange(true)) return;
    shutdown(socket_, SD_SEND);
  }

 private:
  SOCKET socket_;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> write_closed_{false};
};

HANDLE crt_handle(int fd) {
  return fd < 0 ? INVALID_HANDLE_VALUE : reinterpret_cast<HANDLE>(_get_osfhandle(fd));
}

}  // namespace

std::unique_ptr<IoStream> IoStream::stdio() {
  return std::make_unique<HandleStream>(GetStdHandle(STD_INPUT_HANDLE),
                                        GetStdHandle(STD_OUTPUT_HANDLE));
}

std::unique_ptr<IoStream> IoStream::descriptors(int read_fd, int write_fd) {
  return std::make_unique<HandleStream>(crt_handle(read_fd), crt_handle(write_fd));
}

std::unique_ptr<IoStream> IoStream::socket(std::uintptr_t handle) {
  return std::make_unique<SocketStream>(static_cast<SOCKET>(handle));
}

}  // namespace alembic::platform
