// IoStream on Windows. Pipes and consoles (stdio from an editor): a blocking ReadFile on
// a thread of its own (ReadPump below), so that an interrupt never waits for it; files:
// ReadFile. Sockets: recv/send, with select() waking every 100 ms to see an interrupt.
#include <io.h>
#include <windows.h>
#include <winsock2.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "platform/stream.h"

namespace alembic::platform {
namespace {

[[noreturn]] void throw_last_error(const char* what) {
  throw std::system_error(static_cast<int>(GetLastError()), std::system_category(), what);
}

// A blocking ReadFile that another thread may have to abandon. Nothing cancels it
// everywhere: CancelSynchronousIo fails with ERROR_NOT_FOUND under wine for stdin from a
// Unix pipe (and does not reach console reads), PeekNamedPipe fails there with
// ERROR_NOT_SUPPORTED. So the read runs on a thread of its own that only this state
// outlives: read_some asks it for a chunk and waits for the chunk or an interrupt, and an
// interrupted reader returns at once, leaving that thread blocked in ReadFile until the
// writer closes its end or the process exits. What it reads after an interrupt is dropped
// (the stream reads nothing after one), so a handle is read by one stream for good.
class ReadPump {
 public:
  explicit ReadPump(HANDLE handle) : handle_(handle) {}

  /// Blocks until bytes, the end of the stream or an interrupt; 0 for the last two.
  std::size_t read(const std::shared_ptr<ReadPump>& self, char* buffer, std::size_t capacity) {
    std::unique_lock lock(mutex_);
    if (offset_ == chunk_.size() && !ended_) {
      if (!started_) {
        started_ = true;
        std::thread([self] { self->run(); }).detach();
      }
      wanted_ = true;
      changed_.notify_all();
      changed_.wait(lock, [this] { return interrupted_ || !wanted_; });
    }
    if (interrupted_) return 0;
    if (offset_ == chunk_.size()) {
      if (error_ == 0) return 0;
      const DWORD error = error_;
      error_ = 0;
      throw std::system_error(static_cast<int>(error), std::system_category(), "ReadFile");
    }
    const std::size_t n = std::min(capacity, chunk_.size() - offset_);
    std::copy_n(chunk_.data() + offset_, n, buffer);
    offset_ += n;
    return n;
  }

  void interrupt() {
    {
      std::lock_guard lock(mutex_);
      interrupted_ = true;
    }
    changed_.notify_all();
  }

 private:
  void run() {
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return interrupted_ || wanted_; });
        if (interrupted_) return;
      }
      DWORD got = 0;
      const BOOL ok =
          ReadFile(handle_, buffer.data(), static_cast<DWORD>(buffer.size()), &got, nullptr);
      const DWORD error = ok ? 0 : GetLastError();
      {
        std::lock_guard lock(mutex_);
        chunk_.assign(buffer.data(), buffer.data() + got);
        offset_ = 0;
        // A closed writer or a cancelled read is the end of the stream, as is a read of 0.
        const bool end = error == ERROR_BROKEN_PIPE || error == ERROR_OPERATION_ABORTED ||
                         error == ERROR_HANDLE_EOF || error == ERROR_NO_DATA ||
                         error == ERROR_PIPE_NOT_CONNECTED;
        if (!ok || got == 0) {
          ended_ = true;
          if (!ok && !end) error_ = error;
        }
        wanted_ = false;
      }
      changed_.notify_all();
      if (!ok || got == 0) return;
    }
  }

  HANDLE handle_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<char> chunk_;  ///< what the last ReadFile gave, handed out from offset_
  std::size_t offset_ = 0;
  bool started_ = false;
  bool wanted_ = false;  ///< read_some waits for a chunk
  bool ended_ = false;
  bool interrupted_ = false;
  DWORD error_ = 0;  ///< a read failure to report once the chunk before it is consumed
};

class HandleStream final : public IoStream {
 public:
  HandleStream(HANDLE read, HANDLE write) : read_(read), write_(write) {
    // A file on disk never blocks for long: read directly. Pipes and consoles through
    // the pump, whose wait an interrupt ends.
    if (read_ && read_ != INVALID_HANDLE_VALUE && GetFileType(read_) != FILE_TYPE_DISK)
      pump_ = std::make_shared<ReadPump>(read_);
  }
  ~HandleStream() override {
    if (pump_) pump_->interrupt();  // its thread ends, or ends once its ReadFile returns
  }

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    if (capacity == 0 || read_ == INVALID_HANDLE_VALUE || !read_ || interrupted_) return 0;
    if (pump_) return pump_->read(pump_, buffer, capacity);
    DWORD got = 0;
    const DWORD chunk = static_cast<DWORD>(std::min<std::size_t>(capacity, 1 << 20));
    if (ReadFile(read_, buffer, chunk, &got, nullptr)) return interrupted_ ? 0 : got;
    if (GetLastError() == ERROR_HANDLE_EOF) return 0;
    throw_last_error("ReadFile");
  }

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
    if (pump_) pump_->interrupt();
  }

  void close_write() override { write_closed_.store(true); }

 private:
  HANDLE read_;
  HANDLE write_;
  std::shared_ptr<ReadPump> pump_;  ///< shared with its thread, which may outlive the stream
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
