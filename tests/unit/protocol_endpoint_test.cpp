// The endpoint driven the way an editor drives it: framed JSON over an in-memory pipe.
// Waits are bounded (10 s) only so a bug fails the test instead of hanging it; nothing
// asserts on timing.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "protocol/endpoint.h"
#include "protocol/log.h"
#include "protocol/memory_client.h"
#include "protocol/params.h"

#include "endpoint_test_support.h"

using namespace alembic::protocol;
using namespace endpoint_test;
using namespace std::chrono_literals;

TEST(Endpoint, AnswersWithTheSameIdValueAndType) {
  Session s;
  s.endpoint.on_request("echo", [](const json& params, const RequestContext&) { return params; });
  s.start();
  for (json id : {json(1), json(0), json(-7), json(9007199254740993LL), json("abc"), json("")}) {
    json reply = s.call(id, "echo", {{"x", 1}});
    EXPECT_EQ(reply.at("id"), id);
    EXPECT_EQ(reply.at("id").is_string(), id.is_string());
    EXPECT_EQ(reply.at("result"), json({{"x", 1}}));
    EXPECT_EQ(reply.at("jsonrpc"), "2.0");
  }
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
}

TEST(Endpoint, InvalidIdTypesGetInvalidRequestWithNullId) {
  Session s;
  add_ping(s.endpoint);
  s.start();
  for (json id : {json(nullptr), json(1.5), json(true), json::object(), json::array({1})}) {
    s.send({{"jsonrpc", "2.0"}, {"id", id}, {"method", "ping"}});
    json reply = s.receive();
    EXPECT_TRUE(reply.at("id").is_null()) << reply.dump();
    EXPECT_EQ(error_code(reply), -32600);
  }
  EXPECT_EQ(s.call(1, "ping").at("result"), "pong");  // the loop goes on
}

TEST(Endpoint, BadBodiesGetErrorRepliesAndTheLoopGoesOn) {
  Session s;
  add_ping(s.endpoint);
  s.start();

  s.send_body("{not json");
  json parse = s.receive();
  EXPECT_EQ(error_code(parse), -32700);
  EXPECT_TRUE(parse.at("id").is_null());

  s.send_body("42");
  EXPECT_EQ(error_code(s.receive()), -32600);

  s.send_body(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])");
  json batch = s.receive();
  EXPECT_EQ(error_code(batch), -32600);
  EXPECT_NE(error_message(batch).find("batch"), std::string::npos);

  s.send_body(R"({"jsonrpc":"2.0","id":3,"method":"ping","params":"text"})");
  json params = s.receive();
  EXPECT_EQ(params.at("id"), 3);
  EXPECT_EQ(error_code(params), -32600);

  EXPECT_EQ(s.call(2, "ping").at("result"), "pong");
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
}

TEST(Endpoint, UnknownMethods) {
  Session s;
  add_ping(s.endpoint);
  s.start();
  json unknown = s.call(1, "textDocument/unknown");
  EXPECT_EQ(error_code(unknown), -32601);
  EXPECT_NE(error_message(unknown).find("textDocument/unknown"), std::string::npos);
  EXPECT_EQ(error_code(s.call(2, "$/unknownRequest")), -32601);

  // Unknown notifications get no reply: the next message is the ping's answer.
  s.notify("custom/unknown");
  s.notify("$/progress", {{"token", 1}, {"value", {}}});
  EXPECT_EQ(s.call(3, "ping").at("result"), "pong");
}

TEST(Endpoint, HandlerErrorsBecomeErrorReplies) {
  Session s;
  s.endpoint.on_request("typed", [](const json& params, const RequestContext&) {
    return json(params.at("count").get<int>() + 1);
  });
  s.endpoint.on_request("helper", [](const json& params, const RequestContext&) {
    return json(param<std::string>(params, "textDocument.uri"));
  });
  s.endpoint.on_request("argument", [](const json&, const RequestContext&) -> json {
    throw std::invalid_argument("line must be positive");
  });
  s.endpoint.on_request("custom", [](const json&, const RequestContext&) -> json {
    throw RpcError(ErrorCode::ContentModified, "document changed", {{"version", 3}});
  });
  s.endpoint.on_request("crash", [](const json&, const RequestContext&) -> json {
    throw std::runtime_error("boom");
  });
  s.start();

  EXPECT_EQ(s.call(1, "typed", {{"count", 1}}).at("result"), 2);
  json wrong_type = s.call(2, "typed", {{"count", "one"}});
  EXPECT_EQ(error_code(wrong_type), -32602);
  EXPECT_NE(error_message(wrong_type).find("typed"), std::string::npos);
  json missing = s.call(3, "typed", json::object());
  EXPECT_EQ(error_code(missing), -32602);
  EXPECT_NE(error_message(missing).find("count"), std::string::npos) << error_message(missing);
  EXPECT_EQ(error_code(s.call(4, "typed")), -32602);

  json helper = s.call(5, "helper", {{"textDocument", {{"uri", 7}}}});
  EXPECT_EQ(error_code(helper), -32602);
  EXPECT_NE(error_message(helper).find("textDocument.uri"), std::string::npos);
  EXPECT_EQ(error_code(s.call(6, "helper", {{"textDocument", json::object()}})), -32602);

  json argument = s.call(7, "argument");
  EXPECT_EQ(error_code(argument), -32602);
  EXPECT_NE(error_message(argument).find("line must be positive"), std::string::npos);

  json custom = s.call(8, "custom");
  EXPECT_EQ(error_code(custom), -32801);
  EXPECT_EQ(custom.at("error").at("data"), json({{"version", 3}}));

  json crash = s.call(9, "crash");
  EXPECT_EQ(error_code(crash), -32603);
  EXPECT_NE(error_message(crash).find("boom"), std::string::npos);

  EXPECT_EQ(s.call(10, "typed", {{"count", 41}}).at("result"), 42);
}

TEST(Endpoint, NotificationsBothWays) {
  Session s;
  std::promise<json> got;
  s.endpoint.on_notification("textDocument/didOpen",
                             [&](const json& params) { got.set_value(params); });
  s.endpoint.on_notification("explodes", [](const json&) { throw std::runtime_error("ignored"); });
  add_ping(s.endpoint);
  s.start();
  s.notify("explodes");
  s.notify("textDocument/didOpen", {{"textDocument", {{"uri", "file:///a.py"}}}});
  auto future = got.get_future();
  ASSERT_TRUE(ready(future));
  EXPECT_EQ(future.get().at("textDocument").at("uri"), "file:///a.py");

  s.endpoint.send_notification("textDocument/publishDiagnostics",
                               {{"uri", "file:///a.py"}, {"diagnostics", json::array()}});
  json note = s.receive();
  EXPECT_EQ(note.at("method"), "textDocument/publishDiagnostics");
  EXPECT_FALSE(note.contains("id"));
  EXPECT_EQ(s.call(1, "ping").at("result"), "pong");
}

TEST(Endpoint, GateEnforcesTheLifecycle) {
  Session s;
  enum Phase { Uninitialized, Running, ShutDown };
  std::atomic<Phase> phase{Uninitialized};
  std::atomic<int> notes{0};
  s.endpoint.set_gate([&](std::string_view method, CallKind) -> std::optional<RpcError> {
    if (phase == Uninitialized && method != "initialize" && method != "exit") {
      return RpcError(ErrorCode::ServerNotInitialized, "server not initialized");
    }
    if (phase == ShutDown && method != "exit")
      return RpcError(ErrorCode::InvalidRequest, "server is shut down");
    return std::nullopt;
  });
  s.endpoint.on_request("initialize", [&](const json&, const RequestContext&) {
    phase = Running;
    return json({{"capabilities", json::object()}});
  });
  s.endpoint.on_request("shutdown", [&](const json&, const RequestContext&) {
    phase = ShutDown;
    return json(nullptr);
  });
  s.endpoint.on_notification("exit", [&](const json&) { s.endpoint.stop(); });
  s.endpoint.on_notification("note", [&](const json&) { ++notes; });
  add_ping(s.endpoint);
  s.start();

  EXPECT_EQ(error_code(s.call(1, "ping")), -32002);
  s.notify("note");  // dropped before initialize
  EXPECT_TRUE(s.call(2, "initialize").contains("result"));
  s.notify("note");
  EXPECT_EQ(s.call(3, "ping").at("result"), "pong");
  EXPECT_EQ(notes.load(), 1);
  json shutdown = s.call(4, "shutdown");
  EXPECT_TRUE(shutdown.contains("result"));
  EXPECT_TRUE(shutdown.at("result").is_null());
  EXPECT_EQ(error_code(s.call(5, "ping")), -32600);
  s.notify("exit");
  EXPECT_EQ(s.join(), StopReason::Stopped);
}

TEST(Endpoint, OversizedRequestIsAnsweredByIdAndTheNextIsServed) {
  EndpointOptions options;
  options.limits.max_body_bytes = 1024;
  Session s(options);
  add_ping(s.endpoint);
  s.start();
  std::string big =
      R"({"jsonrpc":"2.0","id":5,"method":"textDocument/didChange","params":{"text":")" +
      std::string(5000, 'x') + "\"}}";
  s.send_body(big);
  json reply = s.receive();
  EXPECT_EQ(reply.at("id"), 5);
  EXPECT_EQ(error_code(reply), -32600);
  EXPECT_NE(error_message(reply).find("exceeds"), std::string::npos);

  // An oversized notification gets no reply.
  s.send_body(R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"text":")" +
              std::string(5000, 'x') + "\"}}");
  EXPECT_EQ(s.call(6, "ping").at("result"), "pong");
}

TEST(Endpoint, FramingErrorsGetANullIdReply) {
  Session s;
  add_ping(s.endpoint);
  s.start();
  s.send_raw("Content-Type: application/json\r\n\r\n");
  json missing = s.receive();
  EXPECT_TRUE(missing.at("id").is_null());
  EXPECT_EQ(error_code(missing), -32600);
  s.send_raw("Content-Length: twelve\r\n\r\n{}");
  EXPECT_EQ(error_code(s.receive()), -32600);
  EXPECT_EQ(s.call(1, "ping").at("result"), "pong");
}

TEST(Endpoint, EndOfStreamMidMessageIsAReadError) {
  Session s;
  s.start();
  s.send_raw("Content-Length: 100\r\n\r\n{\"jsonrpc\"");
  EXPECT_EQ(s.finish(), StopReason::ReadError);
}

TEST(Endpoint, TraceSettingAndLogHelpers) {
  Session s;
  add_ping(s.endpoint);
  s.start();
  EXPECT_FALSE(log_trace(s.endpoint, "quiet"));
  s.notify("$/setTrace", {{"value", "verbose"}});
  s.call(1, "ping");  // processed after $/setTrace
  EXPECT_EQ(s.endpoint.trace(), TraceValue::Verbose);
  EXPECT_TRUE(log_trace(s.endpoint, "hello", "details"));
  json trace = s.receive();
  EXPECT_EQ(trace.at("method"), "$/logTrace");
  EXPECT_EQ(trace.at("params"), json({{"message", "hello"}, {"verbose", "details"}}));

  s.notify("$/setTrace", {{"value", "messages"}});
  s.notify("$/setTrace", {{"value", "loud"}});  // invalid: ignored
  s.call(2, "ping");
  EXPECT_EQ(s.endpoint.trace(), TraceValue::Messages);
  log_trace(s.endpoint, "short", "dropped");
  EXPECT_EQ(s.receive().at("params"), json({{"message", "short"}}));

  log_message(s.endpoint, MessageType::Warning, "careful");
  json log = s.receive();
  EXPECT_EQ(log.at("method"), "window/logMessage");
  EXPECT_EQ(log.at("params"), json({{"type", 2}, {"message", "careful"}}));
}

// Endpoint::on_idle: housekeeping (the server's memory release) runs once a burst of
// messages is over, on the loop thread, and not again until another message came.
TEST(Endpoint, IdleWorkRunsOnceAfterEachBurstOnTheLoopThread) {
  Session s;
  add_ping(s.endpoint);
  std::mutex mutex;
  std::condition_variable changed;
  int runs = 0;
  std::thread::id ran_on;
  s.endpoint.on_idle(20ms, [&] {
    std::lock_guard lock(mutex);
    ++runs;
    ran_on = std::this_thread::get_id();
    changed.notify_all();
  });
  auto wait_for_runs = [&](int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, kPatience, [&] { return runs >= n; });
  };
  s.start();
  // Nothing handled yet: a quiet start is not the end of a burst.
  std::this_thread::sleep_for(100ms);
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(runs, 0);
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(s.call(i, "ping").at("result"), "pong");
  ASSERT_TRUE(wait_for_runs(1));
  std::this_thread::sleep_for(100ms);  // five times the quiet time: still once
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(ran_on, s.loop_thread());
  }
  EXPECT_EQ(s.call(10, "ping").at("result"), "pong");
  ASSERT_TRUE(wait_for_runs(2));
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
}

// Several idle works, each after its own quiet time: both run once per burst, the one with
// the shorter quiet time first.
TEST(Endpoint, IdleWorksRunEachAfterItsOwnQuietTime) {
  Session s;
  add_ping(s.endpoint);
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> ran;
  auto record = [&](std::string name) {
    std::lock_guard lock(mutex);
    ran.push_back(std::move(name));
    changed.notify_all();
  };
  s.endpoint.on_idle(150ms, [&] { record("slow"); });
  s.endpoint.on_idle(10ms, [&] { record("quick"); });
  auto wait_for_runs = [&](size_t n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, kPatience, [&] { return ran.size() >= n; });
  };
  s.start();
  EXPECT_EQ(s.call(1, "ping").at("result"), "pong");
  ASSERT_TRUE(wait_for_runs(2));
  std::this_thread::sleep_for(300ms);  // twice the longer quiet time: each still once
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(ran, (std::vector<std::string>{"quick", "slow"}));
  }
  EXPECT_EQ(s.call(2, "ping").at("result"), "pong");
  ASSERT_TRUE(wait_for_runs(4));
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(ran, (std::vector<std::string>{"quick", "slow", "quick", "slow"}));
  }
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
}

// Endpoint::input_waiting: long idle work (the server's branch-conflict pass) sees a
// message arrive, stops, and runs again after that message was handled.
TEST(Endpoint, IdleWorkSeesInputWaitingAndRunsAgainAfterIt) {
  Session s;
  add_ping(s.endpoint);
  std::mutex mutex;
  std::condition_variable changed;
  int runs = 0;
  bool started = false;
  std::vector<bool> saw_input;
  s.endpoint.on_idle(10ms, [&] {
    {
      std::lock_guard lock(mutex);
      started = true;
      changed.notify_all();
    }
    const auto until = std::chrono::steady_clock::now() + kPatience;
    // Only the first run waits for input; later ones find none and end at once.
    while (runs == 0 && !s.endpoint.input_waiting() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(1ms);
    std::lock_guard lock(mutex);
    saw_input.push_back(s.endpoint.input_waiting());
    ++runs;
    changed.notify_all();
  });
  s.start();
  EXPECT_EQ(s.call(1, "ping").at("result"), "pong");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, kPatience, [&] { return started; }));
  }
  // The idle work is running: this message waits, and the work sees it.
  EXPECT_EQ(s.call(2, "ping").at("result"), "pong");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, kPatience, [&] { return runs >= 2; }));
    EXPECT_EQ(saw_input, (std::vector<bool>{true, false}));
  }
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
}
