#include "protocol/endpoint.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include <spdlog/spdlog.h>

#include "protocol/thread_pool.h"

namespace alembic::protocol {
namespace {

using Token = std::shared_ptr<std::atomic<bool>>;
using Task = std::function<void()>;
// What the reader thread (and post()) hand to the loop thread. A FrameResult is a
// framing problem; one that cannot continue ends the loop.
using Item = std::variant<Message, FrameResult, Task>;

struct Route {
  RequestHandler handler;
  RunOn where = RunOn::LoopThread;
};

// nlohmann prefixes messages with "[json.exception.type_error.302] "; users need the rest.
std::string without_json_prefix(const char* what) {
  std::string_view text = what;
  if (text.rfind("[json.exception.", 0) == 0) {
    if (auto end = text.find("] "); end != std::string_view::npos) text.remove_prefix(end + 2);
  }
  return std::string(text);
}

RpcError cancelled_error(const std::string& method) {
  return RpcError(ErrorCode::RequestCancelled, "request " + method + " was cancelled");
}

}  // namespace

RequestContext::RequestContext(RequestId id, std::string method,
                               std::shared_ptr<const std::atomic<bool>> cancelled)
    : id_(std::move(id)), method_(std::move(method)), cancelled_(std::move(cancelled)) {}

void RequestContext::throw_if_cancelled() const {
  if (is_cancelled()) throw cancelled_error(method_);
}

std::string_view to_string(StopReason reason) {
  switch (reason) {
    case StopReason::EndOfStream:
      return "end of stream";
    case StopReason::Stopped:
      return "stopped";
    case StopReason::ReadError:
      return "read error";
    case StopReason::WriteError:
      return "write error";
  }
  return "unknown";
}

struct Endpoint::State {
  State(ByteStream& s, EndpointOptions o)
      : stream(s), options(std::move(o)), writer(s), pool(options.worker_threads) {}

  ByteStream& stream;
  EndpointOptions options;
  FrameWriter writer;
  std::unordered_map<std::string, Route> requests;
  std::unordered_map<std::string, NotificationHandler> notifications;
  Gate gate;
  std::atomic<TraceValue> trace{TraceValue::Off};

  std::mutex queue_mutex;
  std::condition_variable queue_ready;
  std::deque<Item> queue;
  bool stop_requested = false;  // guarded by queue_mutex
  bool write_failed = false;    // guarded by queue_mutex
  struct IdleWork {
    std::chrono::milliseconds quiet;
    std::function<void()> work;
    bool due = false;  // an item was handled since it last ran
  };
  std::vector<IdleWork> idle;  // set before run(); see Endpoint::on_idle

  std::mutex inflight_mutex;
  std::map<RequestId, Token> inflight;  // incoming requests read but not yet answered

  std::mutex pending_mutex;
  std::map<RequestId, ReplyCallback> pending;  // our requests awaiting the client's reply
  std::atomic<std::int64_t> next_id{1};

  std::thread reader;
  bool ran = false;
  ThreadPool pool;  // last: destroyed first, so no worker outlives what it uses

  void enqueue(Item item) {
    {
      std::lock_guard lock(queue_mutex);
      queue.push_back(std::move(item));
    }
    queue_ready.notify_one();
  }

  // Writes one message; a failure ends the loop (the client is gone) but never throws
  // into a handler or worker.
  void send(const json& message) {
    if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("--> {}", dump_message(message));
    try {
      writer.write(dump_message(message));
    } catch (const std::exception& e) {
      spdlog::error("cannot write to the client: {}", e.what());
      {
        std::lock_guard lock(queue_mutex);
        write_failed = true;
      }
      queue_ready.notify_all();
    }
  }

  void forget_inflight(const RequestId& id) {
    std::lock_guard lock(inflight_mutex);
    inflight.erase(id);
  }

  void reply_error(const RequestId& id, const RpcError& error) {
    forget_inflight(id);
    send(make_error_response(id, error));
  }

  // --- reader thread -------------------------------------------------------------

  void read_loop() {
    FrameReader frames(stream, options.limits);
    for (;;) {
      FrameResult frame = frames.read();
      if (frame.skipped_bytes > 0) {
        spdlog::warn("discarded {} bytes that were not a message header", frame.skipped_bytes);
      }
      if (!frame.ok()) {
        bool go_on = can_continue(frame.status);
        enqueue(std::move(frame));
        if (!go_on) return;
        continue;
      }
      if (spdlog::should_log(spdlog::level::trace)) spdlog::trace("<-- {}", frame.body);
      Message message = parse_message(frame.body);
      if (auto* note = std::get_if<Notification>(&message);
          note && note->method == "$/cancelRequest") {
        // Handled here rather than on the loop thread so that a long handler running on
        // the loop thread itself can observe the cancellation.
        cancel(note->params);
        continue;
      }
      if (auto* request = std::get_if<Request>(&message)) {
        std::lock_guard lock(inflight_mutex);
        auto [it, inserted] =
            inflight.try_emplace(request->id, std::make_shared<std::atomic<bool>>(false));
        if (!inserted) {
          message = InvalidMessage{
              request->id,
              RpcError(ErrorCode::InvalidRequest, "request id " + to_string(request->id) +
                                                      " is already used by an unfinished request"),
              true, request->method};
        }
      }
      enqueue(std::move(message));
    }
  }

  void cancel(const json& params) {
    std::optional<RequestId> id;
    if (params.is_object() && params.contains("id")) id = parse_request_id(params.at("id"));
    if (!id) {
      spdlog::warn("$/cancelRequest without a valid id: {}", dump_message(params));
      return;
    }
    std::lock_guard lock(inflight_mutex);
    auto it = inflight.find(*id);
    if (it == inflight.end()) {
      spdlog::debug("$/cancelRequest for {}: already answered or unknown", to_string(*id));
      return;
    }
    it->second->store(true);
    spdlog::debug("request {} cancelled by the client", to_string(*id));
  }

  // --- loop thread ---------------------------------------------------------------

  void dispatch(Message& message) {
    std::visit([this](auto& m) { handle(m); }, message);
  }

  Token token_of(const RequestId& id) {
    std::lock_guard lock(inflight_mutex);
    auto it = inflight.find(id);
    // Registered by the reader; a missing token means the loop was stopped meanwhile.
    return it != inflight.end() ? it->second : std::make_shared<std::atomic<bool>>(true);
  }

  void handle(Request& request) {
    if (gate) {
      if (auto refused = gate(request.method, CallKind::Request)) {
        spdlog::debug("gate refused request {} ({}): {}", request.method, to_string(request.id),
                      refused->what());
        reply_error(request.id, *refused);
        return;
      }
    }
    auto route = requests.find(request.method);
    if (route == requests.end()) {
      spdlog::debug("no handler for request {}", request.method);
      reply_error(request.id,
                  RpcError(ErrorCode::MethodNotFound, "method not found: " + request.method));
      return;
    }
    Token token = token_of(request.id);
    if (token->load()) {
      reply_error(request.id, cancelled_error(request.method));
      return;
    }
    if (route->second.where == RunOn::LoopThread) {
      execute(request, route->second.handler, token);
      return;
    }
    pool.submit([this, request = std::move(request), handler = route->second.handler, token] {
      execute(request, handler, token);
    });
  }

  // Runs a handler and sends its reply; called on the loop thread or a worker.
  void execute(const Request& request, const RequestHandler& handler, const Token& token) {
    auto started = std::chrono::steady_clock::now();
    json reply;
    try {
      RequestContext context(request.id, request.method, token);
      json result = handler(request.params, context);
      reply = token->load() ? make_error_response(request.id, cancelled_error(request.method))
                            : make_result_response(request.id, std::move(result));
    } catch (const RpcError& e) {
      reply = make_error_response(request.id, e);
    } catch (const json::type_error& e) {
      reply =
          make_error_response(request.id, invalid_params(request, without_json_prefix(e.what())));
    } catch (const json::out_of_range& e) {
      reply =
          make_error_response(request.id, invalid_params(request, without_json_prefix(e.what())));
    } catch (const std::invalid_argument& e) {
      reply = make_error_response(request.id, invalid_params(request, e.what()));
    } catch (const std::exception& e) {
      spdlog::error("request {} failed: {}", request.method, e.what());
      reply = make_error_response(
          request.id, RpcError(ErrorCode::InternalError,
                               "internal error in " + request.method + ": " + e.what()));
    } catch (...) {
      reply = make_error_response(
          request.id, RpcError(ErrorCode::InternalError, "internal error in " + request.method));
    }
    forget_inflight(request.id);
    send(reply);
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    spdlog::debug("request {} ({}) answered in {:.1f} ms", request.method, to_string(request.id),
                  elapsed.count());
  }

  static RpcError invalid_params(const Request& request, const std::string& detail) {
    return RpcError(ErrorCode::InvalidParams,
                    "invalid params for " + request.method + ": " + detail);
  }

  void handle(Notification& note) {
    if (gate) {
      if (auto refused = gate(note.method, CallKind::Notification)) {
        spdlog::info("dropped notification {}: {}", note.method, refused->what());
        return;
      }
    }
    if (note.method == "$/setTrace") set_trace_from(note.params);
    auto handler = notifications.find(note.method);
    if (handler == notifications.end()) {
      // `$/` notifications are optional for a server to understand (LSP 3.17).
      if (note.method != "$/setTrace") spdlog::debug("ignoring notification {}", note.method);
      return;
    }
    try {
      handler->second(note.params);
    } catch (const std::exception& e) {
      spdlog::error("notification {} failed: {}", note.method, without_json_prefix(e.what()));
    } catch (...) {
      spdlog::error("notification {} failed with a non-standard exception", note.method);
    }
  }

  void set_trace_from(const json& params) {
    std::optional<TraceValue> value;
    if (params.is_object() && params.contains("value") && params.at("value").is_string()) {
      value = parse_trace_value(params.at("value").get<std::string>());
    }
    if (!value) {
      spdlog::warn("$/setTrace with an invalid value: {}", dump_message(params));
      return;
    }
    trace.store(*value);
  }

  void handle(Response& response) {
    if (!response.id) {
      spdlog::error("client sent an error without a request id: {}",
                    response.error ? response.error->what() : "(no error)");
      return;
    }
    ReplyCallback callback;
    {
      std::lock_guard lock(pending_mutex);
      auto it = pending.find(*response.id);
      if (it != pending.end()) {
        callback = std::move(it->second);
        pending.erase(it);
      }
    }
    if (!callback) {
      spdlog::warn("reply to unknown request id {}", to_string(*response.id));
      return;
    }
    deliver(callback, Reply{std::move(response.result), std::move(response.error)});
  }

  static void deliver(const ReplyCallback& callback, const Reply& reply) {
    try {
      callback(reply);
    } catch (const std::exception& e) {
      spdlog::error("reply callback failed: {}", e.what());
    }
  }

  void handle(InvalidMessage& bad) {
    spdlog::warn("invalid message{}: {}", bad.method.empty() ? "" : " (" + bad.method + ")",
                 bad.error.what());
    if (!bad.reply) return;
    // No forget_inflight: invalid messages were never registered, and a duplicate id
    // belongs to the unfinished request that still owns it.
    send(make_error_response(bad.id, bad.error));
  }

  // A recoverable framing problem: tell the client, so a request is not left hanging.
  void handle_frame_problem(const FrameResult& frame) {
    spdlog::warn("bad message frame: {}", frame.message);
    std::optional<RequestId> id;
    if (frame.status == FrameStatus::BodyTooLarge) {
      MessagePeek peek = peek_message(frame.body_prefix);
      if (peek.has_id && peek.method.empty() && peek.id) {
        fail_pending(*peek.id, frame.message);  // an oversized reply to our request
        return;
      }
      if (!peek.method.empty() && !peek.has_id) return;  // a notification: logged above
      id = peek.id;
    }
    send(make_error_response(id, RpcError(ErrorCode::InvalidRequest, frame.message)));
  }

  void fail_pending(const RequestId& id, const std::string& why) {
    ReplyCallback callback;
    {
      std::lock_guard lock(pending_mutex);
      auto it = pending.find(id);
      if (it == pending.end()) return;
      callback = std::move(it->second);
      pending.erase(it);
    }
    deliver(callback, Reply{nullptr, RpcError(ErrorCode::InternalError, why)});
  }

  void run_task(const Task& task) {
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("posted work failed: {}", e.what());
    } catch (...) {
      spdlog::error("posted work failed with a non-standard exception");
    }
  }

  StopReason loop() {
    using Clock = std::chrono::steady_clock;
    Clock::time_point last_item = Clock::now();
    for (;;) {
      Item item;
      {
        std::unique_lock lock(queue_mutex);
        auto ready = [this] { return !queue.empty() || stop_requested || write_failed; };
        // The earliest idle work due, if any: waiting ends at its time.
        std::optional<Clock::time_point> deadline;
        for (const IdleWork& w : idle)
          if (w.due && (!deadline || last_item + w.quiet < *deadline))
            deadline = last_item + w.quiet;
        if (deadline) {
          if (!queue_ready.wait_until(lock, *deadline, ready)) {
            lock.unlock();
            const Clock::time_point now = Clock::now();
            for (IdleWork& w : idle)
              if (w.due && last_item + w.quiet <= now) {
                w.due = false;
                run_task(w.work);
              }
            continue;
          }
        } else {
          queue_ready.wait(lock, ready);
        }
        if (write_failed) return StopReason::WriteError;
        if (stop_requested) return StopReason::Stopped;
        item = std::move(queue.front());
        queue.pop_front();
      }
      if (auto* frame = std::get_if<FrameResult>(&item)) {
        if (!can_continue(frame->status)) {
          if (frame->status == FrameStatus::EndOfStream) return StopReason::EndOfStream;
          spdlog::error("connection lost: {}", frame->message);
          return StopReason::ReadError;
        }
        handle_frame_problem(*frame);
      } else if (auto* task = std::get_if<Task>(&item)) {
        run_task(*task);
      } else {
        dispatch(std::get<Message>(item));
      }
      for (IdleWork& w : idle) w.due = true;
      last_item = Clock::now();
    }
  }

  // Leaves nothing behind: the reader joined, workers drained, callbacks answered.
  void shut_down() {
    stream.interrupt_read();
    if (reader.joinable()) reader.join();
    {
      std::lock_guard lock(inflight_mutex);
      for (auto& [id, token] : inflight) token->store(true);
    }
    pool.wait_idle();
    std::map<RequestId, ReplyCallback> orphans;
    {
      std::lock_guard lock(pending_mutex);
      orphans.swap(pending);
    }
    for (auto& [id, callback] : orphans) {
      deliver(callback, Reply{nullptr, RpcError(ErrorCode::InternalError,
                                                "connection closed before the client replied")});
    }
    std::lock_guard lock(queue_mutex);
    if (!queue.empty()) spdlog::debug("dropping {} unprocessed messages and tasks", queue.size());
    queue.clear();
  }
};

Endpoint::Endpoint(ByteStream& stream, EndpointOptions options)
    : state_(std::make_unique<State>(stream, std::move(options))) {}

Endpoint::~Endpoint() {
  stop();
  state_->stream.interrupt_read();
  if (state_->reader.joinable()) state_->reader.join();
}

void Endpoint::on_request(std::string method, RequestHandler handler, RunOn where) {
  state_->requests[std::move(method)] = Route{std::move(handler), where};
}

RequestHandler Endpoint::request_handler(const std::string& method) const {
  auto it = state_->requests.find(method);
  return it == state_->requests.end() ? RequestHandler() : it->second.handler;
}

void Endpoint::on_notification(std::string method, NotificationHandler handler) {
  state_->notifications[std::move(method)] = std::move(handler);
}

void Endpoint::set_gate(Gate gate) {
  state_->gate = std::move(gate);
}

RequestId Endpoint::send_request(std::string_view method, json params, ReplyCallback on_reply) {
  std::int64_t n = state_->next_id.fetch_add(1);
  RequestId id = state_->options.outgoing_id_prefix.empty()
                     ? RequestId(n)
                     : RequestId(state_->options.outgoing_id_prefix + std::to_string(n));
  {
    std::lock_guard lock(state_->pending_mutex);
    state_->pending[id] = std::move(on_reply);
  }
  state_->send(make_request(id, method, std::move(params)));
  return id;
}

void Endpoint::send_notification(std::string_view method, json params) {
  state_->send(make_notification(method, std::move(params)));
}

void Endpoint::post(std::function<void()> work) {
  state_->enqueue(std::move(work));
}

void Endpoint::on_idle(std::chrono::milliseconds quiet, std::function<void()> work) {
  state_->idle.push_back({quiet, std::move(work)});
}

bool Endpoint::input_waiting() const {
  std::lock_guard lock(state_->queue_mutex);
  return !state_->queue.empty();
}

StopReason Endpoint::run() {
  if (state_->ran) throw std::logic_error("Endpoint::run() called twice");
  state_->ran = true;
  state_->reader = std::thread([this] { state_->read_loop(); });
  StopReason reason = state_->loop();
  spdlog::debug("message loop ended: {}", to_string(reason));
  state_->shut_down();
  return reason;
}

void Endpoint::stop() {
  {
    std::lock_guard lock(state_->queue_mutex);
    state_->stop_requested = true;
  }
  state_->queue_ready.notify_all();
}

TraceValue Endpoint::trace() const {
  return state_->trace.load();
}

void Endpoint::set_trace(TraceValue value) {
  state_->trace.store(value);
}

}  // namespace alembic::protocol
