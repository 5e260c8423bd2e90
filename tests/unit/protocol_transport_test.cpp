// Byte streams: the in-memory pipe, file descriptors, and TCP on an ephemeral
// 127.0.0.1 port (with an endpoint served over it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <future>
#include <string>
#include <thread>

#include "protocol/endpoint.h"
#include "protocol/framing.h"
#include "protocol/transport.h"

using namespace alembic::protocol;

namespace {

std::string read_exactly(ByteStream& stream, std::size_t n) {
  std::string out;
  char buffer[256];
  while (out.size() < n) {
    std::size_t got = stream.read_some(buffer, std::min(sizeof buffer, n - out.size()));
    if (got == 0) break;
    out.append(buffer, got);
  }
  return out;
}

}  // namespace

TEST(MemoryPipe, CarriesBytesBothWaysAndEndsOnClose) {
  auto [a, b] = make_memory_pipe();
  a->write_all("hello");
  b->write_all("world!");
  EXPECT_EQ(read_exactly(*b, 5), "hello");
  EXPECT_EQ(read_exactly(*a, 6), "world!");
  a->close_write();
  char c;
  EXPECT_EQ(b->read_some(&c, 1), 0u);
  EXPECT_THROW(a->write_all("x"), std::system_error);
}

TEST(MemoryPipe, InterruptUnblocksAReader) {
  auto [a, b] = make_memory_pipe();
  std::promise<std::size_t> result;
  std::thread reader([&b = b, &result] {
    char c;
    result.set_value(b->read_some(&c, 1));
  });
  b->interrupt_read();
  reader.join();  // returns only because the blocked read was interrupted
  EXPECT_EQ(result.get_future().get(), 0u);
}

TEST(FdStream, ReadsWritesAndInterrupts) {
  int to_stream[2];
  int from_stream[2];
  ASSERT_EQ(::pipe(to_stream), 0);
  ASSERT_EQ(::pipe(from_stream), 0);
  auto stream = make_fd_stream(to_stream[0], from_stream[1]);

  ASSERT_EQ(::write(to_stream[1], "ping", 4), 4);
  EXPECT_EQ(read_exactly(*stream, 4), "ping");
  stream->write_all("pong");
  char buffer[4];
  ASSERT_EQ(::read(from_stream[0], buffer, 4), 4);
  EXPECT_EQ(std::string(buffer, 4), "pong");

  // Nobody writes to to_stream again: only interrupt_read() can end this read.
  std::promise<std::size_t> result;
  std::thread reader([&] {
    char c;
    result.set_value(stream->read_some(&c, 1));
  });
  stream->interrupt_read();
  reader.join();
  EXPECT_EQ(result.get_future().get(), 0u);

  for (int fd : {to_stream[0], to_stream[1], from_stream[0], from_stream[1]}) ::close(fd);
}

TEST(FdStream, EndOfStreamWhenTheWriterCloses) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto stream = make_fd_stream(fds[0], -1);
  ASSERT_EQ(::write(fds[1], "ab", 2), 2);
  ::close(fds[1]);
  EXPECT_EQ(read_exactly(*stream, 10), "ab");
  ::close(fds[0]);
}

TEST(Tcp, ExchangesFramedMessagesOnAnEphemeralLoopbackPort) {
  TcpListener listener(0);
  ASSERT_NE(listener.port(), 0);
  std::unique_ptr<ByteStream> client;
  std::thread connector([&] { client = connect_tcp("127.0.0.1", listener.port()); });
  std::unique_ptr<ByteStream> server = listener.accept();
  connector.join();
  ASSERT_TRUE(client);

  FrameWriter to_server(*client);
  FrameWriter to_client(*server);
  FrameReader server_reader(*server);
  FrameReader client_reader(*client);
  constexpr int kRounds = 50;
  for (int i = 0; i < kRounds; ++i) {
    to_server.write("request " + std::to_string(i));
    FrameResult got = server_reader.read();
    ASSERT_EQ(got.status, FrameStatus::Ok);
    EXPECT_EQ(got.body, "request " + std::to_string(i));
    to_client.write("reply " + std::to_string(i));
    EXPECT_EQ(client_reader.read().body, "reply " + std::to_string(i));
  }
  client->close_write();
  EXPECT_EQ(server_reader.read().status, FrameStatus::EndOfStream);
}

TEST(Tcp, ServesAnEndpoint) {
  std::promise<std::uint16_t> bound;
  std::promise<StopReason> stopped;
  std::thread server_thread([&] {
    auto stream = listen_tcp(0, [&](std::uint16_t port) { bound.set_value(port); });
    Endpoint endpoint(*stream);
    endpoint.on_request("add", [](const json& params, const RequestContext&) {
      return json(params.at(0).get<int>() + params.at(1).get<int>());
    });
    stopped.set_value(endpoint.run());
  });
  auto port = bound.get_future();
  ASSERT_EQ(port.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto client = connect_tcp("127.0.0.1", port.get());
  FrameWriter writer(*client);
  FrameReader reader(*client);
  for (int i = 0; i < 20; ++i) {
    writer.write(
        json({{"jsonrpc", "2.0"}, {"id", i}, {"method", "add"}, {"params", {i, 1}}}).dump());
    json reply = json::parse(reader.read().body);
    EXPECT_EQ(reply.at("id"), i);
    EXPECT_EQ(reply.at("result"), i + 1);
  }
  client->close_write();
  server_thread.join();
  EXPECT_EQ(stopped.get_future().get(), StopReason::EndOfStream);
}

TEST(Tcp, PortInUseIsAnError) {
  TcpListener first(0);
  EXPECT_THROW(TcpListener second(first.port()), std::system_error);
}

TEST(FdStream, EndpointStopsWhileReadingAnIdleDescriptor) {
  // Like stdin of a server whose editor sends nothing: stop() must still end run().
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto stream = make_fd_stream(fds[0], -1);
  Endpoint endpoint(*stream);
  std::promise<StopReason> stopped;
  std::thread loop([&] { stopped.set_value(endpoint.run()); });
  endpoint.post([&] { endpoint.stop(); });
  loop.join();
  EXPECT_EQ(stopped.get_future().get(), StopReason::Stopped);
  ::close(fds[0]);
  ::close(fds[1]);
}
