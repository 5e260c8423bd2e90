// The endpoint under concurrency: cancellation, server-to-client requests, posted work
// and stopping, driven over an in-memory pipe.
// Waits are bounded (10 s) only so a bug fails the test instead of hanging it; nothing
// asserts on timing.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "protocol/endpoint.h"
#include "protocol/memory_client.h"

#include "endpoint_test_support.h"

using namespace alembic::protocol;
using namespace endpoint_test;
using namespace std::chrono_literals;

namespace {

// A worker-pool handler for `method` that says it has started, then runs until it is
// cancelled (polling, not timing) and returns `answer`.
void on_request_until_cancelled(Session& s, const std::string& method, std::promise<void>& started,
                                json answer) {
  s.endpoint.on_request(
      method,
      [&started, answer](const json&, const RequestContext& context) {
        started.set_value();
        while (!context.is_cancelled()) std::this_thread::sleep_for(100us);
        return answer;
      },
      RunOn::WorkerPool);
}

}  // namespace

TEST(EndpointConcurrency, CancellingALongWorkerRequest) {
  Session s;
  std::promise<void> started;
  on_request_until_cancelled(s, "slow", started, "finished anyway");
  add_ping(s.endpoint);
  s.start();

  s.request("slow-1", "slow");
  auto running = started.get_future();
  ASSERT_TRUE(ready(running));
  // The loop stays responsive while the worker runs.
  EXPECT_EQ(s.call(2, "ping").at("result"), "pong");
  s.notify("$/cancelRequest", {{"id", "slow-1"}});
  json reply = s.receive();
  EXPECT_EQ(reply.at("id"), "slow-1");
  EXPECT_EQ(error_code(reply), -32800);
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
}

TEST(EndpointConcurrency, CancellingARequestRunningOnTheLoopThread) {
  // The reader thread applies $/cancelRequest, so even a handler that occupies the loop
  // thread sees it.
  Session s;
  std::promise<void> started;
  s.endpoint.on_request("busy", [&started](const json&, const RequestContext& context) -> json {
    started.set_value();
    while (!context.is_cancelled()) std::this_thread::sleep_for(100us);
    context.throw_if_cancelled();
    return nullptr;
  });
  s.start();
  s.request(7, "busy");
  auto running = started.get_future();
  ASSERT_TRUE(ready(running));
  s.notify("$/cancelRequest", {{"id", 7}});
  json reply = s.receive();
  EXPECT_EQ(reply.at("id"), 7);
  EXPECT_EQ(error_code(reply), -32800);
}

TEST(EndpointConcurrency, CancelForAnUnknownIdIsHarmless) {
  Session s;
  add_ping(s.endpoint);
  s.start();
  s.notify("$/cancelRequest", {{"id", 99}});
  s.notify("$/cancelRequest", {{"id", 1.5}});
  EXPECT_EQ(s.call(1, "ping").at("result"), "pong");
}

TEST(EndpointConcurrency, DuplicateIdOfAnUnfinishedRequestIsRejected) {
  Session s;
  std::promise<void> started;
  on_request_until_cancelled(s, "slow", started, nullptr);
  s.start();
  s.request(1, "slow");
  auto running = started.get_future();
  ASSERT_TRUE(ready(running));
  json duplicate = s.call(1, "slow");
  EXPECT_EQ(error_code(duplicate), -32600);
  s.notify("$/cancelRequest", {{"id", 1}});
  EXPECT_EQ(error_code(s.receive()), -32800);
}

TEST(EndpointConcurrency, ServerToClientRequestMatchedByIntegerId) {
  Session s;
  std::promise<std::pair<Reply, std::thread::id>> got;
  s.endpoint.on_request("trigger", [&](const json&, const RequestContext&) {
    s.endpoint.send_request("workspace/applyEdit", {{"edit", json::object()}},
                            [&got](const Reply& reply) {
                              got.set_value({reply, std::this_thread::get_id()});
                            });
    return json("sent");
  });
  s.start();
  s.request(1, "trigger");
  json outgoing = s.receive();
  EXPECT_EQ(outgoing.at("method"), "workspace/applyEdit");
  EXPECT_TRUE(outgoing.at("id").is_number_integer());
  EXPECT_EQ(s.receive().at("result"), "sent");

  // A reply with the right value but the wrong type does not match.
  s.send({{"jsonrpc", "2.0"}, {"id", std::to_string(outgoing.at("id").get<int>())}, {"result", 0}});
  s.send({{"jsonrpc", "2.0"}, {"id", outgoing.at("id")}, {"result", {{"applied", true}}}});
  auto future = got.get_future();
  ASSERT_TRUE(ready(future));
  auto [reply, thread] = future.get();
  EXPECT_TRUE(reply.ok());
  EXPECT_EQ(reply.result, json({{"applied", true}}));
  EXPECT_EQ(thread, s.loop_thread());  // callbacks run on the loop thread
}

TEST(EndpointConcurrency, ServerToClientRequestWithStringIdsAndAnErrorReply) {
  EndpointOptions options;
  options.outgoing_id_prefix = "srv-";
  Session s(options);
  std::promise<Reply> first;
  std::promise<Reply> second;
  s.start();
  RequestId id1 =
      s.endpoint.send_request("client/registerCapability", {{"registrations", json::array()}},
                              [&](const Reply& r) { first.set_value(r); });
  RequestId id2 = s.endpoint.send_request("window/workDoneProgress/create", {{"token", "t"}},
                                          [&](const Reply& r) { second.set_value(r); });
  json m1 = s.receive();
  json m2 = s.receive();
  EXPECT_EQ(m1.at("id"), to_json(id1));
  EXPECT_TRUE(m1.at("id").is_string());
  EXPECT_EQ(m1.at("id").get<std::string>().rfind("srv-", 0), 0u);
  EXPECT_NE(m1.at("id"), m2.at("id"));

  // Answered out of order; each reply reaches its own callback.
  s.send({{"jsonrpc", "2.0"},
          {"id", m2.at("id")},
          {"error", {{"code", -32601}, {"message", "unsupported"}}}});
  s.send({{"jsonrpc", "2.0"}, {"id", m1.at("id")}, {"result", nullptr}});
  auto f1 = first.get_future();
  auto f2 = second.get_future();
  ASSERT_TRUE(ready(f1));
  ASSERT_TRUE(ready(f2));
  Reply r1 = f1.get();
  Reply r2 = f2.get();
  EXPECT_TRUE(r1.ok());
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error->code, -32601);
  EXPECT_STREQ(r2.error->what(), "unsupported");
}

TEST(EndpointConcurrency, PendingRequestsFailWhenTheConnectionCloses) {
  Session s;
  std::promise<Reply> got;
  s.start();
  s.endpoint.send_request("workspace/applyEdit", json::object(),
                          [&](const Reply& r) { got.set_value(r); });
  s.receive();
  EXPECT_EQ(s.finish(), StopReason::EndOfStream);
  auto future = got.get_future();
  ASSERT_TRUE(ready(future));
  EXPECT_FALSE(future.get().ok());
}

TEST(EndpointConcurrency, PostedWorkRunsOnTheLoopWhileTheReaderIsBlocked) {
  Session s;
  s.start();
  std::promise<std::thread::id> ran;
  // Nothing is sent: the reader thread sits in read(); posted work must still run.
  std::thread other([&] { s.endpoint.post([&] { ran.set_value(std::this_thread::get_id()); }); });
  other.join();
  auto future = ran.get_future();
  ASSERT_TRUE(ready(future));
  EXPECT_EQ(future.get(), s.loop_thread());

  // Posted work may talk to the client.
  s.endpoint.post([&] { s.endpoint.send_notification("from/post", nullptr); });
  EXPECT_EQ(s.receive().at("method"), "from/post");
}

TEST(EndpointConcurrency, StopFromAnotherThreadWhileTheReaderIsBlocked) {
  Session s;
  s.start();
  std::thread other([&] { s.endpoint.stop(); });
  other.join();
  EXPECT_EQ(s.join(), StopReason::Stopped);
}

namespace {

// Reads like a pipe, but every write fails: the client vanished.
class BrokenWriteStream final : public ByteStream {
 public:
  explicit BrokenWriteStream(ByteStream& input) : input_(input) {}
  std::size_t read_some(char* buffer, std::size_t capacity) override {
    return input_.read_some(buffer, capacity);
  }
  void write_all(std::string_view) override {
    throw std::system_error(std::make_error_code(std::errc::broken_pipe), "client gone");
  }
  void interrupt_read() override { input_.interrupt_read(); }
  void close_write() override {}

 private:
  ByteStream& input_;
};

}  // namespace

TEST(EndpointConcurrency, WriteFailureEndsTheLoop) {
  auto [client, server] = make_memory_pipe();
  BrokenWriteStream broken(*server);
  Endpoint endpoint(broken);
  add_ping(endpoint);
  FrameWriter(*client).write(R"({"jsonrpc":"2.0","id":1,"method":"ping"})");
  EXPECT_EQ(endpoint.run(), StopReason::WriteError);
}
