#include "analysis/operations_flat_tokens.h"

#include <cstring>

namespace alembic::flat {

namespace {

// Python's tokens, lines ending at '\n' and columns in bytes as tree-sitter counts them.
// Declines f-strings, tabs or form feeds in indentation, a carriage return alone, a
// UTF-8 BOM, unterminated strings and unbalanced brackets.
class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> run() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") throw Decline{};
    tokens_.reserve(s_.size() / 4);
    std::vector<char> brackets;
    bool line_has_tokens = false;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        if (brackets.empty() && line_has_tokens) {
          push(Token::Newline, pos_, pos_);
          line_has_tokens = false;
        }
        newline(pos_ + 1);
        continue;
      }
      if (c == ' ') {
        ++pos_;
        continue;
      }
      if (c == '\t' || c == '\f') {
        if (!line_has_tokens) throw Decline{};
        ++pos_;
        continue;
      }
      if (c == '\r') {
        if (pos_ + 1 >= s_.size() || s_[pos_ + 1] != '\n') throw Decline{};
        ++pos_;
        continue;
      }
      if (c == '#') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '\\') {
        size_t next = pos_ + 1;
        if (next < s_.size() && s_[next] == '\r') ++next;
        if (next >= s_.size() || s_[next] != '\n') throw Decline{};
        newline(next + 1);
        continue;
      }
      line_has_tokens = true;
      const uint32_t start = static_cast<uint32_t>(pos_);
      if (name_start(c)) {
        size_t p = pos_;
        while (p < s_.size() && p - pos_ < 3 && prefix_char(s_[p])) ++p;
        if (p < s_.size() && (s_[p] == '"' || s_[p] == '\'') && p - pos_ <= 2) {
          for (size_t i = pos_; i < p; ++i)
            if (s_[i] == 'f' || s_[i] == 'F') throw Decline{};
          string(start, p);
          continue;
        }
        while (pos_ < s_.size() && name_char(s_[pos_])) ++pos_;
        push(Token::Name, start, static_cast<uint32_t>(pos_));
        continue;
      }
      if (c == '"' || c == '\'') {
        string(start, pos_);
        continue;
      }
      if (digit(c) || (c == '.' && pos_ + 1 < s_.size() && digit(s_[pos_ + 1]))) {
        number();
        push(Token::Number, start, static_cast<uint32_t>(pos_));
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        if (brackets.size() >= 200) throw Decline{};
        brackets.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
      } else if (c == ')' || c == ']' || c == '}') {
        if (brackets.empty() || brackets.back() != c) throw Decline{};
        brackets.pop_back();
      }
      pos_ += operator_length();
      push(Token::Op, start, static_cast<uint32_t>(pos_));
    }
    if (!brackets.empty()) throw Decline{};
    if (line_has_tokens)
      push(Token::Newline, static_cast<uint32_t>(pos_), static_cast<uint32_t>(pos_));
    return std::move(tokens_);
  }

 private:
  static bool name_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  // A letter of a string prefix (r, b, u, f in either case).
  static bool prefix_char(char c) {
    switch (c) {
      case 'r':
      case 'R':
      case 'b':
      case 'B':
      case 'u':
      case 'U':
      case 'f':
      case 'F':
        return true;
      default:
        return false;
    }
  }
  static bool name_char(char c) { return name_start(c) || digit(c); }

  void newline(size_t next) {
    pos_ = next;
    ++line_;
    line_start_ = next;
  }

  void push(Token::Kind kind, uint32_t start, uint32_t end) {
    Token t;
    t.kind = kind;
    t.start = start;
    t.end = end;
    t.line = start_line_ == UINT32_MAX ? line_ : start_line_;
    t.column =
        start_line_ == UINT32_MAX ? static_cast<uint32_t>(start - line_start_) : start_column_;
    t.end_line = line_;
    t.end_column = static_cast<uint32_t>(end - line_start_);
    start_line_ = UINT32_MAX;
    tokens_.push_back(t);
  }

  // A string from `start` (its prefix) whose quote is at `quote`.
  void string(uint32_t start, size_t quote) {
    start_line_ = line_;
    start_column_ = static_cast<uint32_t>(start - line_start_);
    const char q = s_[quote];
    const bool triple = quote + 2 < s_.size() && s_[quote + 1] == q && s_[quote + 2] == q;
    size_t p = quote + (triple ? 3 : 1);
    for (;;) {
      if (p >= s_.size()) throw Decline{};
      const char c = s_[p];
      if (c == '\\') {
        if (p + 1 < s_.size() && s_[p + 1] == '\n') {
          newline(p + 2);
          p += 2;
        } else {
          p += 2;
        }
        continue;
      }
      if (c == '\r' && (p + 1 >= s_.size() || s_[p + 1] != '\n')) throw Decline{};
      if (c == '\n') {
        if (!triple) throw Decline{};
        newline(p + 1);
        ++p;
        continue;
      }
      if (c == q) {
        if (!triple) {
          ++p;
          break;
        }
        if (p + 2 < s_.size() && s_[p + 1] == q && s_[p + 2] == q) {
          p += 3;
          break;
        }
      }
      ++p;
    }
    pos_ = p;
    push(Token::String, start, static_cast<uint32_t>(p));
  }

  void number() {
    const bool hex = s_[pos_] == '0' && pos_ + 1 < s_.size() &&
                     std::strchr("xXoObB", s_[pos_ + 1]) && s_[pos_ + 1] != 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (name_char(c) || c == '.') {
        ++pos_;
        if (!hex && (c == 'e' || c == 'E') && pos_ < s_.size() &&
            (s_[pos_] == '+' || s_[pos_] == '-'))
          ++pos_;
        continue;
      }
      break;
    }
  }

  // The length of the operator at pos_: 3 for `**=` `//=` `>>=` `<<=` `...`, 2 for the
  // other two-character operators, else 1.
  size_t operator_length() const {
    const char c = s_[pos_];
    const char d = pos_ + 1 < s_.size() ? s_[pos_ + 1] : '\0';
    const char e = pos_ + 2 < s_.size() ? s_[pos_ + 2] : '\0';
    if ((c == '*' || c == '/' || c == '>' || c == '<') && d == c) return e == '=' ? 3 : 2;
    if (c == '.' && d == '.' && e == '.') return 3;
    if (c == '-' && d == '>') return 2;
    if (d == '=' && std::strchr("<>=!:+-*/%&|^@", c)) return 2;
    return 1;
  }

  std::string_view s_;
  size_t pos_ = 0;
  uint32_t line_ = 0;
  size_t line_start_ = 0;
  uint32_t start_line_ = UINT32_MAX, start_column_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) {
  return Lexer(source).run();
}

}  // namespace alembic::flat
