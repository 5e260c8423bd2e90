// The LSP base protocol: messages framed by a `Content-Length` header block.
//   Content-Length: 52\r\n
//   Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n   (optional)
//   \r\n
//   {"jsonrpc":"2.0", ...}
// The reader is lenient (header names in any case and order, bare \n accepted, junk
// before a header skipped) and reports every problem as a value, never by throwing, so
// a server can answer a bad message and go on with the next one.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "protocol/transport.h"

namespace alembic::protocol {

/// Bounds that keep a hostile or broken peer from making the reader buffer unboundedly.
struct FrameLimits {
  /// Largest body kept; a bigger one is read and discarded in chunks. 64 MiB by default:
  /// far above any real didOpen, far below what hurts a workstation.
  std::size_t max_body_bytes = std::size_t{64} << 20;
  /// Longest single header line; longer lines are discarded up to their newline.
  std::size_t max_header_line_bytes = 8 * 1024;
};

/// What one call to FrameReader::read produced.
enum class FrameStatus {
  Ok,                    ///< `body` holds one message
  EndOfStream,           ///< the peer closed the stream between messages
  TruncatedHeader,       ///< the stream ended inside a header block
  TruncatedBody,         ///< the stream ended before Content-Length bytes of body arrived
  MissingContentLength,  ///< a header block without Content-Length (body unknown)
  InvalidContentLength,  ///< Content-Length not a non-negative decimal that fits
  BodyTooLarge,          ///< body above FrameLimits::max_body_bytes; it was skipped
  HeaderTooLong,         ///< a header line above FrameLimits::max_header_line_bytes
  ReadError,             ///< the transport failed (message says how)
};

/// Human-readable name of a status, for logs.
std::string_view to_string(FrameStatus status);

/// True when the reader can go on reading after this status (the stream is still usable).
bool can_continue(FrameStatus status);

/// One read: a body, or why there is none.
struct FrameResult {
  FrameStatus status = FrameStatus::Ok;
  std::string body;                ///< set when status == Ok
  std::string message;             ///< what went wrong, for logs and error replies
  std::size_t content_length = 0;  ///< the declared length, when one was parsed
  std::size_t skipped_bytes = 0;   ///< junk discarded before this message's headers
  /// For BodyTooLarge: the first bytes of the skipped body (at most 4 KiB), enough to find
  /// the request id and answer the request instead of leaving the client waiting.
  std::string body_prefix;

  bool ok() const { return status == FrameStatus::Ok; }
};

/// Reads framed messages from a stream. Not thread-safe: one reader thread owns it.
class FrameReader {
 public:
  explicit FrameReader(ByteStream& stream, FrameLimits limits = {});

  /// Blocks for the next message. After a status with can_continue() true, call again.
  FrameResult read();

 private:
  enum class LineStatus { Ok, Eof, TooLong };
  LineStatus read_line(std::string& line);
  bool fill();
  std::size_t read_body_into(std::string& body, std::size_t length);
  std::size_t skip_body(std::size_t length, std::string& prefix);

  ByteStream& stream_;
  FrameLimits limits_;
  std::string buffer_;          // bytes read from the stream and not consumed yet
  std::size_t head_ = 0;        // buffer_[0, head_) is consumed
  std::string io_error_;        // set when fill() saw a transport error
  std::size_t line_bytes_ = 0;  // raw size of the last line read, line break included
};

/// Writes framed messages. Thread-safe: each message goes out whole, under a mutex, so
/// replies written by worker threads never interleave.
class FrameWriter {
 public:
  explicit FrameWriter(ByteStream& stream);

  /// Frames and writes one body. Throws std::system_error if the transport failed.
  void write(std::string_view body);

 private:
  ByteStream& stream_;
  std::mutex mutex_;
};

}  // namespace alembic::protocol
