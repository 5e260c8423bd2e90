// The editor's side of an in-memory connection, for tests of anything built on Endpoint
// (the protocol's own tests and in-process server tests): send framed JSON, receive what
// the server wrote, with a bounded wait so a broken server fails a test instead of
// hanging it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "protocol/transport.h"

namespace alembic::protocol {

/// A client end plus a reader thread collecting the server's messages.
class MemoryClient {
 public:
  MemoryClient();
  /// Closes the client's side and joins the reader thread.
  ~MemoryClient();
  MemoryClient(const MemoryClient&) = delete;
  MemoryClient& operator=(const MemoryClient&) = delete;

  /// The stream to give the server's Endpoint; destroy the Endpoint before this client.
  ByteStream& server_stream() { return *pipe_.second; }

  /// Frames and sends a message / an arbitrary body / raw bytes (no framing added).
  void send(const json& message);
  void send_body(std::string_view body);
  void send_raw(std::string_view bytes);

  /// Sends a request (params omitted when null; `id` may be any JSON, even an invalid
  /// id) / a notification.
  void request(const json& id, std::string_view method, json params = nullptr);
  void notify(std::string_view method, json params = nullptr);

  /// The next message the server wrote; nullopt if none arrives within `timeout` or the
  /// server closed the stream.
  std::optional<json> receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));

  /// Ends the client's output: the server reads end of stream.
  void close();

 private:
  void read_loop();

  StreamPair pipe_;  // first: client end; second: server end
  FrameWriter writer_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<json> inbox_;
  bool closed_ = false;
  std::thread reader_;
};

}  // namespace alembic::protocol
