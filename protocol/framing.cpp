#include "protocol/framing.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <system_error>

namespace alembic::protocol {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
// Bodies grow by at most this much per read, so a peer that declares 64 MiB and then
// sends 10 bytes does not make us allocate 64 MiB up front.
constexpr std::size_t kBodyGrowth = 1 << 20;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::size_t ifind(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    if (iequals(haystack.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 7230 token characters: what a header name may contain. A JSON body fragment
// (quotes, braces) never qualifies, which is how junk is told from headers.
bool is_header_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

struct Header {
  std::string_view name;
  std::string_view value;
};

bool split_header(std::string_view line, Header& out) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view name = line.substr(0, colon);
  if (!is_header_name(name)) return false;
  out = {name, trim(line.substr(colon + 1))};
  return true;
}

bool parse_length(std::string_view text, std::size_t& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string_view to_string(FrameStatus status) {
  switch (status) {
    case FrameStatus::Ok:
      return "ok";
    case FrameStatus::EndOfStream:
      return "end of stream";
    case FrameStatus::TruncatedHeader:
      return "stream ended inside a header";
    case FrameStatus::TruncatedBody:
      return "stream ended inside a body";
    case FrameStatus::MissingContentLength:
      return "missing Content-Length";
    case FrameStatus::InvalidContentLength:
      return "invalid Content-Length";
    case FrameStatus::BodyTooLarge:
      return "body too large";
    case FrameStatus::HeaderTooLong:
      return "header line too long";
    case FrameStatus::ReadError:
      return "read error";
  }
  return "unknown frame status";
}

bool can_continue(FrameStatus status) {
  switch (status) {
    case FrameStatus::Ok:
    case FrameStatus::MissingContentLength:
    case FrameStatus::InvalidContentLength:
    case FrameStatus::BodyTooLarge:
    case FrameStatus::HeaderTooLong:
      return true;
    default:
      return false;
  }
}

FrameReader::FrameReader(ByteStream& stream, FrameLimits limits)
    : stream_(stream), limits_(limits) {}

bool FrameReader::fill() {
  if (head_ == buffer_.size()) {
    buffer_.clear();
    head_ = 0;
  } else if (head_ > kReadChunk) {
    buffer_.erase(0, head_);
    head_ = 0;
  }
  std::size_t old = buffer_.size();
  buffer_.resize(old + kReadChunk);
  std::size_t n = 0;
  try {
    n = stream_.read_some(buffer_.data() + old, kReadChunk);
  } catch (const std::system_error& e) {
    io_error_ = e.what();
  }
  buffer_.resize(old + n);
  return n > 0;
}

FrameReader::LineStatus FrameReader::read_line(std::string& line) {
  std::size_t scanned = head_;
  for (;;) {
    auto newline = buffer_.find('\n', scanned);
    if (newline != std::string::npos) {
      line.assign(buffer_, head_, newline - head_);
      line_bytes_ = line.size() + 1;
      head_ = newline + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return LineStatus::Ok;
    }
    if (buffer_.size() - head_ > limits_.max_header_line_bytes) {
      // Discard through the newline without keeping the line: a peer sending megabytes
      // without a newline must not make us buffer them.
      for (;;) {
        auto nl = buffer_.find('\n', head_);
        if (nl != std::string::npos) {
          head_ = nl + 1;
          return LineStatus::TooLong;
        }
        head_ = buffer_.size();
        if (!fill()) return LineStatus::Eof;
      }
    }
    scanned = buffer_.size();
    std::size_t before = head_;
    if (!fill()) {
      line.assign(buffer_, head_);
      head_ = buffer_.size();
      return LineStatus::Eof;
    }
    // fill() may have compacted the buffer; keep scanning only the new bytes.
    scanned -= before - head_;
  }
}

std::size_t FrameReader::read_body_into(std::string& body, std::size_t length) {
  std::size_t from_buffer = std::min(length, buffer_.size() - head_);
  body.assign(buffer_, head_, from_buffer);
  head_ += from_buffer;
  while (body.size() < length) {
    std::size_t got = body.size();
    std::size_t want = std::min(length - got, kBodyGrowth);
    body.resize(got + want);
    std::size_t n = 0;
    try {
      n = stream_.read_some(body.data() + got, want);
    } catch (const std::system_error& e) {
      io_error_ = e.what();
    }
    body.resize(got + n);
    if (n == 0) break;
  }
  return body.size();
}

std::size_t FrameReader::skip_body(std::size_t length, std::string& prefix) {
  constexpr std::size_t kPrefix = 4096;
  std::size_t skipped = std::min(length, buffer_.size() - head_);
  prefix.assign(buffer_, head_, std::min(skipped, kPrefix));
  head_ += skipped;
  std::array<char, kReadChunk> scratch;
  while (skipped < length) {
    std::size_t n = 0;
    try {
      n = stream_.read_some(scratch.data(), std::min(length - skipped, scratch.size()));
    } catch (const std::system_error& e) {
      io_error_ = e.what();
    }
    if (n == 0) break;
    if (prefix.size() < kPrefix)
      prefix.append(scratch.data(), std::min(n, kPrefix - prefix.size()));
    skipped += n;
  }
  return skipped;
}

FrameResult FrameReader::read() {
  FrameResult result;
  bool in_headers = false;  // a header line of this message was seen
  bool has_length = false;
  std::string length_error;
  std::string line;

  for (;;) {
    LineStatus status = read_line(line);
    if (status == LineStatus::TooLong) {
      result.status = FrameStatus::HeaderTooLong;
      result.message = "header line longer than " + std::to_string(limits_.max_header_line_bytes) +
                       " bytes; discarded it";
      return result;
    }
    if (status == LineStatus::Eof) {
      bool partial = in_headers || !trim(line).empty();
      if (!io_error_.empty()) {
        result.status = FrameStatus::ReadError;
        result.message = "reading the stream failed: " + io_error_;
      } else if (partial) {
        result.status = FrameStatus::TruncatedHeader;
        result.message = "stream ended inside a message header";
      } else {
        result.status = FrameStatus::EndOfStream;
        result.message = "stream closed by the peer";
      }
      return result;
    }
    if (line.empty()) {
      if (in_headers) break;  // the blank line that ends the header block
      continue;               // stray blank lines between messages are harmless
    }

    Header header;
    std::string_view text = line;
    if (!split_header(text, header)) {
      // Junk: most likely the tail of a body whose length we could not trust. If a
      // Content-Length header starts later on this line, resynchronise there.
      auto at = ifind(text, "content-length");
      if (at != std::string_view::npos && at > 0 && split_header(text.substr(at), header)) {
        result.skipped_bytes += at;
      } else {
        result.skipped_bytes += line_bytes_;
        continue;
      }
    }
    in_headers = true;
    if (!iequals(header.name, "Content-Length")) continue;  // Content-Type and others

    std::size_t length = 0;
    if (!parse_length(header.value, length)) {
      length_error =
          "Content-Length '" + std::string(header.value) + "' is not a non-negative decimal number";
    } else if (has_length && length != result.content_length) {
      length_error = "conflicting Content-Length headers (" +
                     std::to_string(result.content_length) + " and " + std::to_string(length) + ")";
    } else {
      has_length = true;
      result.content_length = length;
    }
  }

  if (!length_error.empty()) {
    result.status = FrameStatus::InvalidContentLength;
    result.message = length_error;
    return result;
  }
  if (!has_length) {
    result.status = FrameStatus::MissingContentLength;
    result.message = "message header has no Content-Length";
    return result;
  }

  const std::size_t length = result.content_length;
  if (length > limits_.max_body_bytes) {
    std::size_t skipped = skip_body(length, result.body_prefix);
    if (skipped < length) {
      result.status = io_error_.empty() ? FrameStatus::TruncatedBody : FrameStatus::ReadError;
      result.message = "stream ended after " + std::to_string(skipped) + " of " +
                       std::to_string(length) + " bytes of an oversized body";
      return result;
    }
    result.status = FrameStatus::BodyTooLarge;
    result.message = "message body of " + std::to_string(length) + " bytes exceeds the limit of " +
                     std::to_string(limits_.max_body_bytes) + " bytes; it was skipped";
    return result;
  }

  std::size_t got = read_body_into(result.body, length);
  if (got < length) {
    result.status = io_error_.empty() ? FrameStatus::TruncatedBody : FrameStatus::ReadError;
    result.message = "stream ended after " + std::to_string(got) + " of " + std::to_string(length) +
                     " body bytes";
    if (!io_error_.empty()) result.message += ": " + io_error_;
    result.body.clear();
    return result;
  }
  return result;
}

FrameWriter::FrameWriter(ByteStream& stream) : stream_(stream) {}

void FrameWriter::write(std::string_view body) {
  std::string frame = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  frame.append(body);
  std::lock_guard lock(mutex_);
  stream_.write_all(frame);
}

}  // namespace alembic::protocol
