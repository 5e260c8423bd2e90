#include "protocol/log.h"
#include "protocol/platform_stream.h"

namespace alembic::protocol {

std::unique_ptr<ByteStream> make_stdio_stream() {
  auto io = platform::IoStream::stdio();
  keep_logs_off_stdout();
  return std::make_unique<detail::PlatformStream>(std::move(io));
}

std::unique_ptr<ByteStream> make_fd_stream(int read_fd, int write_fd) {
  return std::make_unique<detail::PlatformStream>(
      platform::IoStream::descriptors(read_fd, write_fd));
}

}  // namespace alembic::protocol
