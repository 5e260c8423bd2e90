// TCP transport: asio sets up the connection (bind, listen, accept, connect); the bytes
// then flow through the platform layer's IoStream on the native handle. asio socket
// objects are not safe for a concurrent read (reader thread) and write (worker threads),
// the kernel socket is, and IoStream lets the endpoint interrupt a blocked read.
#include <asio.hpp>

#include "platform/stream.h"
#include "protocol/transport.h"

namespace alembic::protocol {
namespace {

class TcpStream final : public ByteStream {
 public:
  TcpStream(std::unique_ptr<asio::io_context> context, asio::ip::tcp::socket socket)
      : context_(std::move(context)),
        socket_(std::move(socket)),
        io_(platform::IoStream::socket(static_cast<std::uintptr_t>(socket_.native_handle()))) {
    // Requests and replies are small and latency-bound: do not wait to coalesce them.
    asio::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  }

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    return io_->read_some(buffer, capacity);
  }
  void write_all(std::string_view bytes) override { io_->write_all(bytes); }
  void interrupt_read() override { io_->interrupt_read(); }
  void close_write() override { io_->close_write(); }

 private:
  // Declaration order matters: io_ borrows the socket's descriptor, so it must be
  // destroyed first, and the socket before the context that created it.
  std::unique_ptr<asio::io_context> context_;
  asio::ip::tcp::socket socket_;
  std::unique_ptr<platform::IoStream> io_;
};

}  // namespace

struct TcpListener::State {
  asio::io_context context;
  asio::ip::tcp::acceptor acceptor{context};
};

TcpListener::TcpListener(std::uint16_t port) : state_(std::make_unique<State>()) {
  // Loopback only: the protocol has no authentication, so nothing off-host may connect.
  asio::ip::tcp::endpoint where(asio::ip::address_v4::loopback(), port);
  state_->acceptor.open(where.protocol());
  state_->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(where);
  state_->acceptor.listen(1);
}

TcpListener::~TcpListener() = default;

std::uint16_t TcpListener::port() const {
  return state_->acceptor.local_endpoint().port();
}

std::unique_ptr<ByteStream> TcpListener::accept() {
  // Each connection gets its own context so the stream outlives this listener.
  auto context = std::make_unique<asio::io_context>();
  asio::ip::tcp::socket socket(*context);
  state_->acceptor.accept(socket);
  asio::error_code ignored;
  state_->acceptor.close(ignored);
  return std::make_unique<TcpStream>(std::move(context), std::move(socket));
}

std::unique_ptr<ByteStream> listen_tcp(std::uint16_t port,
                                       const std::function<void(std::uint16_t)>& on_listening) {
  TcpListener listener(port);
  if (on_listening) on_listening(listener.port());
  return listener.accept();
}

std::unique_ptr<ByteStream> connect_tcp(const std::string& host, std::uint16_t port) {
  auto context = std::make_unique<asio::io_context>();
  asio::ip::tcp::resolver resolver(*context);
  asio::ip::tcp::socket socket(*context);
  asio::connect(socket, resolver.resolve(host, std::to_string(port)));
  return std::make_unique<TcpStream>(std::move(context), std::move(socket));
}

}  // namespace alembic::protocol
