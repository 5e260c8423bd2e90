// Internal: a ByteStream over the platform layer's IoStream (stdio, descriptors, sockets),
// shared by the stdio and TCP transports. Not part of the public interface (see transport.h).
#pragma once

#include <memory>

#include "platform/stream.h"
#include "protocol/transport.h"

namespace alembic::protocol::detail {

class PlatformStream final : public ByteStream {
 public:
  explicit PlatformStream(std::unique_ptr<platform::IoStream> io) : io_(std::move(io)) {}

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    return io_->read_some(buffer, capacity);
  }
  void write_all(std::string_view bytes) override { io_->write_all(bytes); }
  void interrupt_read() override { io_->interrupt_read(); }
  void close_write() override { io_->close_write(); }

 private:
  std::unique_ptr<platform::IoStream> io_;
};

}  // namespace alembic::protocol::detail
