// A tolerant scanner for the first few KiB of a JSON object. The framing layer discards
// oversized bodies without parsing them; this finds the request id in what it kept, so
// the client gets an error reply for that request instead of waiting forever. Only
// top-level members count: a nested "id" inside params must never be mistaken for it.
#include "protocol/jsonrpc.h"

namespace alembic::protocol {
namespace {

class PrefixScanner {
 public:
  explicit PrefixScanner(std::string_view text) : text_(text) {}

  MessagePeek scan() {
    MessagePeek out;
    skip_space();
    if (!consume('{')) return out;
    for (;;) {
      skip_space();
      if (at_end() || text_[pos_] != '"') return out;
      std::size_t key_start = pos_;
      if (!skip_string()) return out;
      json key = json::parse(text_.substr(key_start, pos_ - key_start), nullptr, false);
      skip_space();
      if (!consume(':')) return out;
      skip_space();
      std::size_t value_start = pos_;
      if (!skip_value()) return out;
      record(out, key, text_.substr(value_start, pos_ - value_start));
      if (out.has_id && !out.method.empty()) return out;
      skip_space();
      if (!consume(',')) return out;
    }
  }

 private:
  static void record(MessagePeek& out, const json& key, std::string_view token) {
    if (!key.is_string()) return;
    json value = json::parse(token, nullptr, false);
    if (value.is_discarded()) return;
    if (key == "id") {
      out.has_id = true;
      out.id = parse_request_id(value);
    } else if (key == "method" && value.is_string()) {
      out.method = value.get<std::string>();
    }
  }

  bool at_end() const { return pos_ >= text_.size(); }

  bool consume(char c) {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' ||
                         text_[pos_] == '\n')) {
      ++pos_;
    }
  }

  // pos_ is on the opening quote; leaves pos_ after the closing one.
  bool skip_string() {
    ++pos_;
    while (!at_end()) {
      char c = text_[pos_++];
      if (c == '\\') {
        ++pos_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }

  // Returns false when the prefix ends inside the value (the value is then unusable).
  bool skip_value() {
    if (at_end()) return false;
    char c = text_[pos_];
    if (c == '"') return skip_string();
    if (c == '{' || c == '[') {
      int depth = 0;
      while (!at_end()) {
        char d = text_[pos_];
        if (d == '"') {
          if (!skip_string()) return false;
          continue;
        }
        ++pos_;
        if (d == '{' || d == '[') ++depth;
        if ((d == '}' || d == ']') && --depth == 0) return true;
      }
      return false;
    }
    while (!at_end() &&
           std::string_view(",}] \t\r\n").find(text_[pos_]) == std::string_view::npos) {
      ++pos_;
    }
    return !at_end();  // a number cut by the prefix end may be missing digits
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

MessagePeek peek_message(std::string_view prefix) {
  return PrefixScanner(prefix).scan();
}

}  // namespace alembic::protocol
