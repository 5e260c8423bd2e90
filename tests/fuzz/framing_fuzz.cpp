// JSON-RPC over the LSP base protocol: FrameReader over an in-memory stream that hands
// the bytes out in input-chosen chunk sizes, small limits so oversized bodies and long
// header lines are reachable, then parse_message / peek_message on what it produced and
// the replies a server would build. Every frame read back must survive a FrameWriter
// round trip unchanged.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_support.h"
#include "protocol/framing.h"
#include "protocol/jsonrpc.h"

using namespace alembic::protocol;
using alembic::fuzz::Cursor;

namespace {

// Reads `data` in chunks whose sizes come from `sizes` (1..256 bytes, or 64 KiB when 0).
class ChunkedStream : public ByteStream {
 public:
  ChunkedStream(std::string_view data, std::string_view sizes) : data_(data), sizes_(sizes) {}
  std::size_t read_some(char* buffer, std::size_t capacity) override {
    if (pos_ >= data_.size() || capacity == 0) return 0;
    std::size_t chunk =
        sizes_.empty() ? 65536 : static_cast<unsigned char>(sizes_[turn_++ % sizes_.size()]);
    if (chunk == 0) chunk = 65536;
    std::size_t n = std::min({chunk, capacity, data_.size() - pos_});
    std::copy_n(data_.data() + pos_, n, buffer);
    pos_ += n;
    return n;
  }
  void write_all(std::string_view bytes) override { written.append(bytes); }
  void interrupt_read() override { pos_ = data_.size(); }
  void close_write() override {}
  std::string written;

 private:
  std::string_view data_;
  std::string_view sizes_;
  std::size_t pos_ = 0;
  std::size_t turn_ = 0;
};

void check_message(std::string_view body) {
  Message message = parse_message(body);  // documented never to throw
  // Build and serialise what a server would send back: this must never throw.
  if (auto* request = std::get_if<Request>(&message)) {
    (void)dump_message(make_result_response(request->id, request->params));
    (void)to_string(request->id);
    FUZZ_CHECK(parse_request_id(to_json(request->id)) == std::optional<RequestId>(request->id),
               "a request id does not survive to_json/parse_request_id: " + to_string(request->id));
  } else if (auto* invalid = std::get_if<InvalidMessage>(&message)) {
    (void)dump_message(make_error_response(invalid->id, invalid->error));
  } else if (auto* notification = std::get_if<Notification>(&message)) {
    (void)dump_message(make_notification(notification->method, notification->params));
  } else if (auto* response = std::get_if<Response>(&message)) {
    if (response->error) (void)dump_message(make_error_response(response->id, *response->error));
  }
  (void)peek_message(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first byte picks limits, the next few the chunk sizes; the rest is the stream.
  Cursor control(input.substr(0, std::min<std::size_t>(input.size(), 5)));
  std::uint8_t mode = control.u8();
  std::string_view sizes = control.take(4);
  std::string_view stream_bytes = input.substr(std::min<std::size_t>(input.size(), 5));

  FrameLimits limits;
  if (mode & 1) {
    limits.max_body_bytes = 16 + (mode >> 1) * 8;
    limits.max_header_line_bytes = 8 + (mode >> 2);
  }
  ChunkedStream stream(stream_bytes, sizes);
  FrameReader reader(stream, limits);
  for (std::size_t results = 0;; ++results) {
    // Each result consumes at least one byte, or the reader would spin forever.
    FUZZ_CHECK(results <= stream_bytes.size() + 1, "more results than bytes: the reader spins");
    FrameResult result = reader.read();
    if (result.ok()) {
      FUZZ_CHECK(result.body.size() == result.content_length,
                 "body of " + std::to_string(result.body.size()) + " bytes, declared " +
                     std::to_string(result.content_length));
      FUZZ_CHECK(result.body.size() <= limits.max_body_bytes, "a body above the limit was kept");
      check_message(result.body);
      // The writer frames it so that a reader gets the same body back.
      ChunkedStream sink({}, {});
      FrameWriter(sink).write(result.body);
      ChunkedStream back(sink.written, sizes);
      FrameResult again = FrameReader(back).read();
      FUZZ_CHECK(again.ok() && again.body == result.body, "FrameWriter output not read back");
    } else {
      FUZZ_CHECK(result.body.empty(),
                 std::string("a body with status ") + std::string(to_string(result.status)));
      FUZZ_CHECK(!result.message.empty(),
                 std::string("no message for status ") + std::string(to_string(result.status)));
      if (result.status == FrameStatus::BodyTooLarge) {
        FUZZ_CHECK(result.body_prefix.size() <= 4096, "body prefix above 4 KiB");
        (void)peek_message(result.body_prefix);
      }
      if (!can_continue(result.status)) break;
    }
  }
  // Whatever the bytes, a body is also a message candidate on its own.
  if (stream_bytes.size() <= 4096) check_message(stream_bytes);
  return 0;
}
