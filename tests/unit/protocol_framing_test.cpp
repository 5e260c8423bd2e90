// Content-Length framing: every header form, every malformed frame, and recovery.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "protocol/framing.h"
#include "protocol/transport.h"

using namespace alembic::protocol;

namespace {

// Serves a fixed string `step` bytes per read, to exercise reads split anywhere.
class ScriptedStream final : public ByteStream {
 public:
  explicit ScriptedStream(std::string data, std::size_t step = SIZE_MAX, bool fail_at_end = false)
      : data_(std::move(data)), step_(step), fail_at_end_(fail_at_end) {}
  std::size_t read_some(char* buffer, std::size_t capacity) override {
    if (pos_ == data_.size() && fail_at_end_) {
      throw std::system_error(std::make_error_code(std::errc::io_error), "scripted failure");
    }
    std::size_t n = std::min({capacity, step_, data_.size() - pos_});
    data_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }
  void write_all(std::string_view bytes) override { written += bytes; }
  void interrupt_read() override {}
  void close_write() override {}
  std::string written;

 private:
  std::string data_;
  std::size_t pos_ = 0;
  std::size_t step_;
  bool fail_at_end_;
};

std::string frame(const std::string& body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<FrameResult> read_all(const std::string& input, FrameLimits limits = {},
                                  std::size_t step = SIZE_MAX) {
  ScriptedStream stream(input, step);
  FrameReader reader(stream, limits);
  std::vector<FrameResult> results;
  for (int guard = 0; guard < 100; ++guard) {
    results.push_back(reader.read());
    if (!can_continue(results.back().status)) break;
  }
  return results;
}

}  // namespace

TEST(Framing, ReadsOneMessage) {
  auto results = read_all(frame(R"({"a":1})"));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].status, FrameStatus::Ok);
  EXPECT_EQ(results[0].body, R"({"a":1})");
  EXPECT_EQ(results[1].status, FrameStatus::EndOfStream);
}

TEST(Framing, AcceptsEveryHeaderForm) {
  const std::vector<std::string> headers = {
      "Content-Length: 2\r\n\r\n",
      "content-length: 2\r\n\r\n",
      "CONTENT-LENGTH:2\r\n\r\n",
      "Content-Length:   2   \r\n\r\n",
      "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n",
      "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
      "Content-Length: 2\n\n",
      "Content-Length: 2\r\n\n",
      "X-Custom: yes\nContent-Length: 2\r\nContent-Length: 2\n\r\n",
  };
  for (const auto& header : headers) {
    SCOPED_TRACE(header);
    auto results = read_all(header + "{}");
    ASSERT_GE(results.size(), 1u);
    EXPECT_EQ(results[0].status, FrameStatus::Ok) << results[0].message;
    EXPECT_EQ(results[0].body, "{}");
  }
}

TEST(Framing, ReadsBackToBackMessagesSplitAtEveryByte) {
  std::string input = frame("{}") + "\r\n" + frame(R"({"b":"é"})") + frame("[1,2]");
  for (std::size_t step : {std::size_t{1}, std::size_t{2}, std::size_t{7}, SIZE_MAX}) {
    SCOPED_TRACE(step);
    auto results = read_all(input, {}, step);
    ASSERT_EQ(results.size(), 4u);
    EXPECT_EQ(results[0].body, "{}");
    EXPECT_EQ(results[1].body, R"({"b":"é"})");
    EXPECT_EQ(results[2].body, "[1,2]");
    EXPECT_EQ(results[3].status, FrameStatus::EndOfStream);
  }
}

TEST(Framing, EmptyBodyIsAFrame) {
  auto results = read_all("Content-Length: 0\r\n\r\n");
  EXPECT_EQ(results[0].status, FrameStatus::Ok);
  EXPECT_EQ(results[0].body, "");
}

TEST(Framing, MissingContentLengthThenNextMessage) {
  auto results = read_all("Content-Type: text/plain\r\n\r\n" + frame("{}"));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, FrameStatus::MissingContentLength);
  EXPECT_TRUE(can_continue(results[0].status));
  EXPECT_EQ(results[1].status, FrameStatus::Ok);
  EXPECT_EQ(results[1].body, "{}");
}

TEST(Framing, InvalidContentLengthValues) {
  for (std::string value :
       {"abc", "-1", "12abc", "", "1.5", "0x10", "99999999999999999999999999"}) {
    SCOPED_TRACE(value);
    auto results = read_all("Content-Length: " + value + "\r\n\r\n" + frame("{}"));
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[0].status, FrameStatus::InvalidContentLength);
    EXPECT_NE(results[0].message.find("Content-Length"), std::string::npos);
    EXPECT_EQ(results[1].status, FrameStatus::Ok);
    EXPECT_EQ(results[1].body, "{}");
  }
}

TEST(Framing, ConflictingContentLengthsAreInvalid) {
  auto results = read_all("Content-Length: 2\r\nContent-Length: 3\r\n\r\n" + frame("{}"));
  EXPECT_EQ(results[0].status, FrameStatus::InvalidContentLength);
}

TEST(Framing, ResynchronisesAfterABodyOfUnknownLength) {
  // The body of the bad frame runs straight into the next header; the reader skips it.
  auto results = read_all("Content-Length: x\r\n\r\n{\"id\":1}" + frame("{}"));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, FrameStatus::InvalidContentLength);
  EXPECT_EQ(results[1].status, FrameStatus::Ok);
  EXPECT_EQ(results[1].body, "{}");
  EXPECT_EQ(results[1].skipped_bytes, 8u);
}

TEST(Framing, JunkLinesBeforeAHeaderAreSkippedAndCounted) {
  auto results = read_all("garbage line\r\n{not a header}\n" + frame("{}"));
  EXPECT_EQ(results[0].status, FrameStatus::Ok);
  EXPECT_EQ(results[0].skipped_bytes, 14u + 15u);
}

TEST(Framing, OversizedBodyIsSkippedAndKeepsAPrefix) {
  std::string big = R"({"id":7,"method":"x","params":")" + std::string(5000, 'a') + "\"}";
  auto results = read_all(frame(big) + frame("{}"), FrameLimits{1024, 8192}, 1000);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, FrameStatus::BodyTooLarge);
  EXPECT_EQ(results[0].content_length, big.size());
  EXPECT_TRUE(results[0].body.empty());
  EXPECT_EQ(results[0].body_prefix, big.substr(0, 4096));
  EXPECT_EQ(results[1].status, FrameStatus::Ok);
  EXPECT_EQ(results[1].body, "{}");
}

TEST(Framing, HundredMegabyteBodyIsStreamedPastWithDefaultLimit) {
  constexpr std::size_t kDeclared = 100u << 20;
  auto [client, server] = make_memory_pipe();
  // The pipe holds 1 MiB, so the writer can only finish if the reader consumes as it goes.
  std::thread writer([&client = client] {
    client->write_all("Content-Length: " + std::to_string(kDeclared) + "\r\n\r\n");
    std::string chunk(1 << 20, ' ');
    for (std::size_t sent = 0; sent < kDeclared; sent += chunk.size()) client->write_all(chunk);
    client->write_all(frame(R"({"next":true})"));
    client->close_write();
  });
  FrameReader reader(*server);
  FrameResult first = reader.read();
  FrameResult second = reader.read();
  FrameResult third = reader.read();
  writer.join();
  EXPECT_EQ(first.status, FrameStatus::BodyTooLarge);
  EXPECT_EQ(first.content_length, kDeclared);
  EXPECT_LE(first.body_prefix.size(), 4096u);
  EXPECT_NE(first.message.find("104857600"), std::string::npos) << first.message;
  EXPECT_EQ(second.status, FrameStatus::Ok);
  EXPECT_EQ(second.body, R"({"next":true})");
  EXPECT_EQ(third.status, FrameStatus::EndOfStream);
}

TEST(Framing, TruncatedBodyAtEndOfStream) {
  auto results = read_all("Content-Length: 10\r\n\r\n{\"a\"");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].status, FrameStatus::TruncatedBody);
  EXPECT_FALSE(can_continue(results[0].status));
  EXPECT_NE(results[0].message.find("4 of 10"), std::string::npos) << results[0].message;
}

TEST(Framing, TruncatedOversizedBody) {
  auto results = read_all("Content-Length: 5000\r\n\r\nabc", FrameLimits{100, 8192});
  EXPECT_EQ(results[0].status, FrameStatus::TruncatedBody);
}

TEST(Framing, TruncatedHeaderAtEndOfStream) {
  for (std::string input : {"Content-Len", "Content-Length: 5\r\n", "Content-Length: 5\r\nX: y"}) {
    SCOPED_TRACE(input);
    auto results = read_all(input);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].status, FrameStatus::TruncatedHeader);
  }
}

TEST(Framing, CleanEndOfStream) {
  for (std::string input : {"", "\r\n", "\n\n\r\n"}) {
    auto results = read_all(input);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].status, FrameStatus::EndOfStream);
  }
}

TEST(Framing, OverlongHeaderLineIsDiscarded) {
  std::string input = "X-Long: " + std::string(100000, 'x') + "\r\n\r\n" + frame("{}");
  auto results = read_all(input, FrameLimits{1024, 8192}, 4096);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, FrameStatus::HeaderTooLong);
  EXPECT_EQ(results[1].status, FrameStatus::Ok);
  EXPECT_EQ(results[1].body, "{}");
}

TEST(Framing, TransportErrorIsAReadError) {
  ScriptedStream stream("Content-Length: 2\r\n\r\n{}", SIZE_MAX, /*fail_at_end=*/true);
  FrameReader reader(stream);
  EXPECT_EQ(reader.read().status, FrameStatus::Ok);
  FrameResult failed = reader.read();
  EXPECT_EQ(failed.status, FrameStatus::ReadError);
  EXPECT_NE(failed.message.find("scripted failure"), std::string::npos);
}

TEST(Framing, WriterFramesBodies) {
  ScriptedStream stream("");
  FrameWriter writer(stream);
  writer.write(R"({"x":"é"})");
  EXPECT_EQ(stream.written, "Content-Length: 10\r\n\r\n{\"x\":\"é\"}");
}

TEST(Framing, ConcurrentWritersNeverInterleave) {
  auto [a, b] = make_memory_pipe();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::set<std::string> received;
  std::thread reader_thread([&b = b, &received] {
    FrameReader reader(*b);
    for (int i = 0; i < kThreads * kPerThread; ++i) {
      FrameResult r = reader.read();
      ASSERT_EQ(r.status, FrameStatus::Ok);
      received.insert(r.body);
    }
  });
  FrameWriter writer(*a);
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&writer, t] {
      for (int i = 0; i < kPerThread; ++i) {
        writer.write(std::to_string(t) + ":" + std::to_string(i) + ":" + std::string(100 + i, 'z'));
      }
    });
  }
  for (auto& w : writers) w.join();
  reader_thread.join();
  EXPECT_EQ(received.size(), static_cast<std::size_t>(kThreads * kPerThread));
}
