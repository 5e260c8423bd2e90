// Byte streams the framing layer reads from and writes to: stdio, one TCP client, and an
// in-memory pipe pair for tests. They carry bytes only; messages live in framing.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace alembic::protocol {

/// A duplex byte stream. One thread may read while other threads write (writes are
/// serialised by the caller, see FrameWriter).
class ByteStream {
 public:
  virtual ~ByteStream() = default;

  /// Blocks until some bytes arrive and copies at most `capacity` of them into `buffer`.
  /// Returns 0 at end of stream or once interrupt_read() was called.
  /// Throws std::system_error on an I/O error.
  virtual std::size_t read_some(char* buffer, std::size_t capacity) = 0;

  /// Writes every byte of `bytes`, retrying short writes and EINTR.
  /// Throws std::system_error if the peer is gone or the write fails.
  virtual void write_all(std::string_view bytes) = 0;

  /// Makes a blocked (and every later) read_some return 0. Safe from any thread; this is
  /// how an endpoint stops its reader thread without waiting for the peer.
  virtual void interrupt_read() = 0;

  /// Tells the peer no more bytes will come (it then reads end of stream).
  virtual void close_write() = 0;
};

/// The process's stdin (fd 0) and stdout (fd 1). Ignores SIGPIPE process-wide so that a
/// vanished editor turns into a write error instead of killing the server.
std::unique_ptr<ByteStream> make_stdio_stream();

/// A stream over two already-open file descriptors (not closed by the stream).
std::unique_ptr<ByteStream> make_fd_stream(int read_fd, int write_fd);

/// A listening TCP socket on 127.0.0.1 that hands out exactly one client connection.
/// Split from accept so a caller can learn an ephemeral port (bind to 0) before blocking.
class TcpListener {
 public:
  /// Binds and listens on 127.0.0.1:`port` (0 picks a free port).
  /// Throws std::system_error if the port cannot be bound.
  explicit TcpListener(std::uint16_t port);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  /// The port actually bound (useful after binding port 0).
  std::uint16_t port() const;

  /// Blocks until one client connects and returns its stream; the listener stops
  /// listening afterwards (a language server serves one editor).
  std::unique_ptr<ByteStream> accept();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Listens on 127.0.0.1:`port`, calls `on_listening(bound_port)` once bound (may be empty),
/// then accepts one client and returns its stream.
std::unique_ptr<ByteStream> listen_tcp(std::uint16_t port,
                                       const std::function<void(std::uint16_t)>& on_listening = {});

/// Connects to `host`:`port` (used by tests and by clients of a TCP server).
std::unique_ptr<ByteStream> connect_tcp(const std::string& host, std::uint16_t port);

/// Two streams wired back to back in memory: bytes written to one are read from the other.
struct StreamPair {
  std::unique_ptr<ByteStream> first;
  std::unique_ptr<ByteStream> second;
};

/// An in-memory connection for tests; both ends are thread-safe.
StreamPair make_memory_pipe();

}  // namespace alembic::protocol
