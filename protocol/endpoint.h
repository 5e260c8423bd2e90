// The message loop a language server is built on: a table of handlers found by LSP
// method name, cancellation, server-to-client requests, and work posted from other
// threads. A reader thread turns frames into messages; the thread that calls run()
// dispatches them one at a time, so handlers that run on the loop thread see server
// state without locks.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "protocol/trace.h"
#include "protocol/transport.h"

namespace alembic::protocol {

/// What a request handler knows about the request it serves.
class RequestContext {
 public:
  RequestContext(RequestId id, std::string method,
                 std::shared_ptr<const std::atomic<bool>> cancelled);

  const RequestId& id() const { return id_; }
  const std::string& method() const { return method_; }

  /// True once the client sent `$/cancelRequest` for this request (or the loop stopped).
  /// Long handlers poll it and return early; the reply then becomes RequestCancelled.
  bool is_cancelled() const { return cancelled_->load(std::memory_order_relaxed); }

  /// Throws RpcError(RequestCancelled) if the request was cancelled.
  void throw_if_cancelled() const;

 private:
  RequestId id_;
  std::string method_;
  std::shared_ptr<const std::atomic<bool>> cancelled_;
};

/// Computes a request's result, or throws RpcError. nlohmann::json type / out-of-range
/// errors and std::invalid_argument become InvalidParams; other exceptions InternalError.
using RequestHandler = std::function<json(const json& params, const RequestContext& context)>;

/// Handles a notification. Exceptions are logged (notifications get no reply).
using NotificationHandler = std::function<void(const json& params)>;

/// Where a request handler runs.
enum class RunOn {
  LoopThread,  ///< in order with other messages; sees server state without locks
  WorkerPool,  ///< concurrently, so a long computation does not stall the protocol
};

/// Whether a message expects a reply.
enum class CallKind { Request, Notification };

/// Decides, before dispatch, whether a call is allowed now (e.g. ServerNotInitialized
/// before `initialize`, InvalidRequest after `shutdown`). A returned error is sent as the
/// reply to a request; a gated notification is dropped with a log line.
using Gate = std::function<std::optional<RpcError>(std::string_view method, CallKind kind)>;

/// The client's answer to a request the server sent.
struct Reply {
  json result;                    ///< the result when error is empty
  std::optional<RpcError> error;  ///< the client's error, or one made locally if the
                                  ///< connection closed before the client answered
  bool ok() const { return !error.has_value(); }
};

/// Receives a Reply; runs on the loop thread.
using ReplyCallback = std::function<void(const Reply& reply)>;

/// Why run() returned.
enum class StopReason {
  EndOfStream,  ///< the client closed the connection between messages
  Stopped,      ///< stop() was called (e.g. by the `exit` handler)
  ReadError,    ///< the transport failed or the stream ended mid-message
  WriteError,   ///< a reply could not be written (the client is gone)
};

/// Name of a stop reason, for logs.
std::string_view to_string(StopReason reason);

/// Tunables; the defaults suit a language server.
struct EndpointOptions {
  FrameLimits limits;
  /// Threads for RunOn::WorkerPool handlers; 0 means hardware_concurrency().
  unsigned worker_threads = 0;
  /// Empty: outgoing request ids are integers 1, 2, ...; otherwise strings "<prefix>1", ...
  std::string outgoing_id_prefix;
};

/// One JSON-RPC connection. Register handlers, then call run() once.
class Endpoint {
 public:
  explicit Endpoint(ByteStream& stream, EndpointOptions options = {});
  /// Stops the loop if it still runs and joins every thread it started.
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  /// Registers the handler for a request method (replacing any earlier one).
  /// Call before run(); the table is not locked.
  void on_request(std::string method, RequestHandler handler, RunOn where = RunOn::LoopThread);

  /// The handler registered for a request method, or an empty function. Lets a feature
  /// wrap a method another one serves (e.g. one more workspace/executeCommand command).
  RequestHandler request_handler(const std::string& method) const;

  /// Registers the handler for a notification method. Call before run().
  void on_notification(std::string method, NotificationHandler handler);

  /// Installs the gate consulted before every request and notification. Call before run().
  void set_gate(Gate gate);

  /// Sends a request to the client; `on_reply` runs on the loop thread when the reply
  /// with the same id arrives. Thread-safe. Returns the id used.
  RequestId send_request(std::string_view method, json params, ReplyCallback on_reply);

  /// Sends a notification to the client. Thread-safe.
  void send_notification(std::string_view method, json params);

  /// Runs `work` on the loop thread between messages. Thread-safe; never blocks on I/O.
  void post(std::function<void()> work);

  /// Runs `work` on the loop thread once no message or task has arrived for `quiet` after
  /// one was handled: once per burst of traffic, never while messages keep coming (for
  /// housekeeping whose cost grows with the process, and for work too slow for every
  /// message's path). Each call adds one more such work, with its own quiet time; works
  /// due at the same time run in the order added. Call before run().
  void on_idle(std::chrono::milliseconds quiet, std::function<void()> work);

  /// True when a message or task is waiting to be handled: idle work that takes long asks
  /// it between steps and stops, to finish after the next burst (it runs again then).
  /// Thread-safe.
  bool input_waiting() const;

  /// Reads and dispatches messages until end of stream, a fatal transport error, or
  /// stop(). Before returning it waits for running worker handlers and fails pending
  /// outgoing requests. Call once.
  StopReason run();

  /// Makes run() return after the message being handled. Thread-safe.
  void stop();

  /// The trace level set by `$/setTrace` (handled here) or by set_trace().
  TraceValue trace() const;
  void set_trace(TraceValue value);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace alembic::protocol
