// The harness of the endpoint tests (protocol_endpoint_test.cpp,
// protocol_endpoint_concurrency_test.cpp): an editor (MemoryClient) talking to an
// Endpoint that runs on its own thread. Waits are bounded (10 s) only so a bug fails the
// test instead of hanging it; nothing asserts on timing.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <string_view>
#include <thread>

#include "protocol/endpoint.h"
#include "protocol/memory_client.h"

namespace endpoint_test {

using namespace alembic::protocol;
using namespace std::chrono_literals;

inline constexpr auto kPatience = 10s;

// An editor (MemoryClient) and the endpoint under test, running on its own thread.
class Session {
  MemoryClient client_;  // first: the endpoint reads its stream, so it must outlive it

 public:
  Endpoint endpoint;

  explicit Session(EndpointOptions options = {})
      : endpoint(client_.server_stream(), std::move(options)) {}

  ~Session() {
    if (loop_.joinable()) {
      endpoint.stop();
      loop_.join();
    }
  }

  void start() {
    loop_ = std::thread([this] { reason_ = endpoint.run(); });
  }

  std::thread::id loop_thread() const { return loop_.get_id(); }

  void send(const json& message) { client_.send(message); }
  void send_raw(std::string_view bytes) { client_.send_raw(bytes); }
  void send_body(std::string_view body) { client_.send_body(body); }
  void request(json id, std::string method, json params = json::object()) {
    client_.request(id, method, std::move(params));
  }
  void notify(std::string method, json params = json::object()) {
    client_.notify(method, std::move(params));
  }

  /// The next message the server wrote.
  json receive() {
    auto message = client_.receive(kPatience);
    if (!message) {
      ADD_FAILURE() << "no message from the server";
      return json();
    }
    return *message;
  }

  /// Sends a request and returns the reply, checking that it answers this id.
  json call(json id, std::string method, json params = json::object()) {
    request(id, std::move(method), std::move(params));
    json reply = receive();
    EXPECT_EQ(reply.value("id", json()), id) << reply.dump();
    return reply;
  }

  /// Closes the editor's side and returns why the loop ended.
  StopReason finish() {
    client_.close();
    return join();
  }

  StopReason join() {
    loop_.join();
    return reason_;
  }

 private:
  std::thread loop_;
  StopReason reason_ = StopReason::Stopped;
};

inline int error_code(const json& reply) {
  return reply.at("error").at("code").get<int>();
}
inline std::string error_message(const json& reply) {
  return reply.at("error").at("message").get<std::string>();
}

template <typename T>
bool ready(std::future<T>& future) {
  return future.wait_for(kPatience) == std::future_status::ready;
}

inline void add_ping(Endpoint& endpoint) {
  endpoint.on_request("ping", [](const json&, const RequestContext&) { return json("pong"); });
}

}  // namespace endpoint_test
