#include "analysis/python_scan.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "analysis/parse_literal.h"

namespace alembic::scan {

bool is_alembic_name(std::string_view name) {
  return name == "revision" || name == "down_revision" || name == "branch_labels" ||
         name == "depends_on";
}

namespace {

// Python's hard keywords: a line starting with one is never an assignment.
bool is_keyword(std::string_view w) {
  static constexpr std::string_view kKeywords[] = {
      "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
      "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
      "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
      "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};
  if (w.size() < 2 || w.size() > 8) return false;
  for (std::string_view k : kKeywords)
    if (k == w) return true;
  return false;
}

// Bytes that may continue an identifier; any non-ASCII byte counts, so UTF-8
// identifiers (and stray invalid bytes) read as names, never as syntax.
constexpr std::array<bool, 256> make_ident_table() {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
  return t;
}
constexpr std::array<bool, 256> kIdent = make_ident_table();

// The bytes skip_line stops at.
constexpr std::array<bool, 256> make_skip_table() {
  std::array<bool, 256> t{};
  for (char c : std::string_view("\n#\\\"'()[]{}")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kSkipStop = make_skip_table();

// A module-level line starting with `word` opens a block whose assignments bind
// module-level names (if, for, while, try, with and their continuations), or keeps
// the current one open (`else`, `except`... after it).
bool opens_module_block(std::string_view word, bool open) {
  if (word == "if" || word == "for" || word == "while" || word == "try" || word == "with" ||
      word == "async")
    return true;
  if (word == "elif" || word == "else" || word == "except" || word == "finally") return open;
  return false;
}

enum class Tok : uint8_t {
  End,
  Newline,
  Name,
  String,
  Open,
  Close,
  Assign,
  AugAssign,
  Colon,
  Semicolon,
  Other
};

struct Token {
  Tok kind = Tok::End;
  uint32_t start = 0;
  uint32_t end = 0;
  bool plain_str = false;  ///< a string whose prefix has no b, f or t
  bool depth0 = false;     ///< written at bracket depth 0 of its logical line
  uint32_t line = 0;       ///< where the token starts (exact for one-line tokens)
  uint32_t column = 0;
};

// Facts about one module-level logical line, gathered token by token.
struct LineFacts {
  Token first;
  Tok second = Tok::End;
  Tok rhs_first = Tok::End;  ///< first token after the first depth-0 '='
  int assigns = 0;           ///< depth-0 '=' tokens
  bool semicolon = false;
  bool only_strings = true;  ///< every depth-0 token is a string
  bool plain = true;         ///< every string is a plain str

  Token colon;         ///< the annotation's ':' when second is Colon
  Token first_assign;  ///< the first depth-0 '='

  void add(const Token& t, int index) {
    if (index == 1) {
      second = t.kind;
      if (t.kind == Tok::Colon) colon = t;
    }
    if (!t.depth0) return;
    if (assigns == 1 && rhs_first == Tok::End && t.kind != Tok::Assign) rhs_first = t.kind;
    if (t.kind == Tok::Assign && ++assigns == 1) first_assign = t;
    if (t.kind == Tok::Semicolon) semicolon = true;
    if (t.kind != Tok::String) only_strings = false;
    if (t.kind == Tok::String && !t.plain_str) plain = false;
  }
};

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s), n_(s.size()) {}

  std::vector<LogicalLine> lines(std::vector<StringInterior>* long_strings) {
    long_strings_ = long_strings;
    std::vector<LogicalLine> out;
    if (n_ >= 3 && std::memcmp(s_.data(), "\xEF\xBB\xBF", 3) == 0) i_ = 3;
    while (i_ < n_) {
      LogicalLine l;
      l.start_byte = static_cast<uint32_t>(i_);
      l.start_line = line_;
      l.start_column = static_cast<uint32_t>(i_ - line_start_);
      Token t = next();
      if (t.kind == Tok::End) break;
      if (t.kind == Tok::Newline) continue;  // blank or comment-only line
      l.indent = t.start - l.start_byte;
      for (int k = 0; k < 3 && t.kind != Tok::Newline && t.kind != Tok::End; ++k) {
        l.words[k] = {s_.substr(t.start, t.end - t.start), t.line, t.column};
        if (k < 2) t = next();
      }
      if (t.kind != Tok::Newline && t.kind != Tok::End) skip_line();
      l.end_byte = static_cast<uint32_t>(i_);
      l.end_line = line_;
      l.end_column = static_cast<uint32_t>(i_ - line_start_);
      out.push_back(l);
    }
    return out;
  }

  ModuleScan run() {
    ModuleScan out;
    if (n_ >= 3 && std::memcmp(s_.data(), "\xEF\xBB\xBF", 3) == 0) i_ = 3;
    bool docstring_open = true;
    bool in_module_block = false;  // the indented lines belong to a module-level if/for/...
    while (i_ < n_) {
      const size_t begin = i_;
      line_deep_ = false;
      const uint32_t begin_line = line_;
      const size_t begin_column = begin - line_start_;
      Token t = next();
      if (t.kind == Tok::End) break;
      if (t.kind == Tok::Newline) continue;  // blank or comment-only line
      if (t.start != begin) {                // indented: inside a block
        if (in_module_block && t.kind == Tok::Name) {
          // `NAME = ...` under a module-level if / for / while / try / with binds NAME
          // at module level, or not: a later use can no longer count on its literal.
          const Token after = next();
          if (after.kind == Tok::Assign || after.kind == Tok::AugAssign ||
              after.kind == Tok::Colon) {
            std::string_view name = s_.substr(t.start, t.end - t.start);
            if (!is_keyword(name)) out.rebindings.push_back({t.start, name});
          }
          if (after.kind == Tok::End) break;
          if (after.kind == Tok::Newline) continue;
        }
        skip_line();
        continue;
      }
      in_module_block = t.kind == Tok::Name &&
                        opens_module_block(s_.substr(t.start, t.end - t.start), in_module_block);
      LineFacts f;
      f.first = t;
      f.add(t, 0);
      for (int index = 1;; ++index) {
        t = next();
        if (t.kind == Tok::Newline || t.kind == Tok::End) break;
        f.add(t, index);
      }
      if (!select(f, docstring_open, out)) continue;
      Statement st;
      st.start_byte = static_cast<uint32_t>(begin);
      st.start_line = begin_line;
      st.start_column = static_cast<uint32_t>(begin_column);
      st.end_byte = static_cast<uint32_t>(i_);
      st.end_line = line_;
      st.end_column = static_cast<uint32_t>(i_ - line_start_);
      if (f.second == Tok::Colon && f.assigns >= 1 && !f.semicolon) {
        st.gap_start_byte = f.colon.start;
        st.gap_start_line = f.colon.line;
        st.gap_start_column = f.colon.column;
        st.gap_end_byte = f.first_assign.start;
        st.gap_end_line = f.first_assign.line;
        st.gap_end_column = f.first_assign.column;
      }
      if (line_deep_) {
        st.too_deep = true;
        st.deep_byte = deep_.start;
        st.deep_line = deep_.line;
        st.deep_column = deep_.column;
      }
      out.statements.push_back(st);
    }
    out.max_depth = max_depth_;
    if (depth_ > 0) {  // the innermost bracket still open at the end, as Python names it
      const Open& o = open_[static_cast<size_t>(std::min(depth_, kMaxNesting) - 1)];
      error_at(o.byte, o.line, o.column, std::string("'") + o.c + "' was never closed");
    }
    if (error_ && !has_lone_cr()) out.token_error = std::move(error_);
    return out;
  }

 private:
  // Decides whether the line goes to tree-sitter; records rebindings it skips.
  bool select(const LineFacts& f, bool& docstring_open, ModuleScan& out) const {
    if (f.semicolon) return true;
    if (f.first.kind == Tok::String) {
      if (!docstring_open) return false;
      if (f.only_strings && f.plain) docstring_open = false;
      return true;
    }
    if (f.first.kind != Tok::Name) return false;
    std::string_view name = s_.substr(f.first.start, f.first.end - f.first.start);
    if (is_keyword(name)) return false;
    const bool binds = f.second == Tok::Assign || (f.second == Tok::Colon && f.assigns >= 1);
    if (is_alembic_name(name)) {
      if (binds) docstring_open = false;
      return true;
    }
    if (binds) {
      if (f.assigns == 1 && f.rhs_first != Tok::String && f.rhs_first != Tok::Open) {
        out.rebindings.push_back({f.first.start, name});
        return false;
      }
      return true;  // may bind a string (or chain several targets): parse it
    }
    if (f.second == Tok::AugAssign) out.rebindings.push_back({f.first.start, name});
    return false;
  }

  // The rest of a logical line nothing is read from (most of a migration: the bodies
  // of upgrade() and downgrade()). Only strings, comments, brackets, continuations and
  // newlines matter there, so everything else is passed over byte by byte without
  // making tokens; the line ends where next() would return Newline or End.
  void skip_line() {
    while (i_ < n_) {
      while (i_ < n_ && !kSkipStop[static_cast<unsigned char>(s_[i_])]) ++i_;
      if (i_ >= n_) return;
      switch (s_[i_]) {
        case '\n':
          newline_at(i_);
          ++i_;
          if (depth_ == 0) return;
          break;
        case '"':
        case '\'':
          i_ = skip_string(i_);
          break;
        case '(':
        case '[':
        case '{':
          open_bracket(i_);
          ++i_;
          break;
        case ')':
        case ']':
        case '}':
          close_bracket(i_);
          ++i_;
          break;
        default: {  // '#' or '\\': next() knows comments and continuations
          Tok k = next().kind;
          if (k == Tok::Newline || k == Tok::End) return;
        }
      }
    }
  }

  void newline_at(size_t pos) {
    ++line_;
    line_start_ = pos + 1;
  }

  // Keeps the first tokenizer error only: Python stops there.
  void error_at(size_t byte, uint32_t line, size_t column, std::string message, size_t length = 1) {
    if (error_) return;
    error_ = TokenError{static_cast<uint32_t>(byte), line, static_cast<uint32_t>(column),
                        static_cast<uint32_t>(length), std::move(message)};
  }

  void open_bracket(size_t pos) {
    if (++depth_ > max_depth_) max_depth_ = depth_;
    if (depth_ <= kMaxNesting) {
      open_[static_cast<size_t>(depth_ - 1)] = Open{s_[pos], static_cast<uint32_t>(pos), line_,
                                                    static_cast<uint32_t>(pos - line_start_)};
    } else if (depth_ == kMaxNesting + 1) {
      error_at(pos, line_, pos - line_start_, "too many nested parentheses");
    }
  }

  // An unmatched closer leaves the depth at 0: the error is Python's, the scan goes on.
  void close_bracket(size_t pos) {
    const char c = s_[pos];
    if (depth_ == 0) {
      error_at(pos, line_, pos - line_start_, std::string("unmatched '") + c + "'");
      return;
    }
    if (depth_ <= kMaxNesting) {
      const Open& o = open_[static_cast<size_t>(depth_ - 1)];
      const char expected = o.c == '(' ? ')' : o.c == '[' ? ']' : '}';
      if (c != expected) {
        std::string message = std::string("closing parenthesis '") + c +
                              "' does not match opening parenthesis '" + o.c + "'";
        if (o.line != line_) message += " on line " + std::to_string(o.line + 1);
        error_at(pos, line_, pos - line_start_, std::move(message));
      }
    }
    --depth_;
  }

  bool has_lone_cr() const {
    for (size_t k = 0; k < n_;) {
      const void* cr = std::memchr(s_.data() + k, '\r', n_ - k);
      if (!cr) return false;
      k = static_cast<size_t>(static_cast<const char*>(cr) - s_.data()) + 1;
      if (k == n_ || s_[k] != '\n') return true;
    }
    return false;
  }

  Token make(Tok kind, size_t start, size_t end) {
    i_ = end;
    Token t;
    t.kind = kind;
    t.start = static_cast<uint32_t>(start);
    t.end = static_cast<uint32_t>(end);
    t.depth0 = depth_ == 0;
    t.line = line_;
    t.column = static_cast<uint32_t>(start - line_start_);
    return t;
  }

  // Skips a string body from the opening quote at `q_pos`; returns its end. A single
  // quoted string stops before an unescaped newline (unterminated, as Python's
  // tokenizer reports it); a triple quoted one may run to the end of the file.
  size_t skip_string(size_t q_pos) {
    const char q = s_[q_pos];
    const bool triple = q_pos + 2 < n_ && s_[q_pos + 1] == q && s_[q_pos + 2] == q;
    const uint32_t q_line = line_;
    const size_t q_column = q_pos - line_start_;
    auto unterminated = [&](uint32_t detected_line) {
      error_at(q_pos, q_line, q_column,
               std::string(triple ? "unterminated triple-quoted string literal"
                                  : "unterminated string literal") +
                   " (detected at line " + std::to_string(detected_line) + ")",
               triple ? 3 : 1);
    };
    size_t j = q_pos + (triple ? 3 : 1);
    while (j < n_) {
      const char c = s_[j];
      if (c == '\\') {
        if (j + 1 < n_ && s_[j + 1] == '\n') newline_at(j + 1);
        if (j + 2 < n_ && s_[j + 1] == '\r' && s_[j + 2] == '\n') {
          newline_at(j + 2);
          ++j;
        }
        j += 2;
      } else if (c == '\n') {
        if (!triple) {
          unterminated(line_ + 1);
          return j;
        }
        newline_at(j);
        ++j;
      } else if (c == q) {
        if (!triple) return note_interior(q_pos, q_line, q_column, 1, j);
        if (j + 2 < n_ && s_[j + 1] == q && s_[j + 2] == q)
          return note_interior(q_pos, q_line, q_column, 3, j);
        ++j;
      } else {
        ++j;
      }
    }
    // Python counts the line the end of the file is on; a final newline opens none.
    if (!triple || s_.empty() || s_.back() != '\n') {
      unterminated(line_ + 1);
    } else {
      unterminated(line_);
    }
    return n_;
  }

  // Records the text between the quotes of a string that ended at `close` (when asked:
  // long_strings_), unless short or an f-string (whose fields are expressions); returns
  // the string's end.
  size_t note_interior(size_t q_pos, uint32_t q_line, size_t q_column, size_t quotes,
                       size_t close) {
    const size_t begin = q_pos + quotes;
    if (long_strings_ && close - begin >= kMinLongString && !formatted_before(q_pos))
      long_strings_->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(close), q_line,
                                static_cast<uint32_t>(q_column + quotes), line_,
                                static_cast<uint32_t>(close - line_start_)});
    return close + quotes;
  }

  // Whether the quote at `q_pos` follows a prefix with f or t.
  bool formatted_before(size_t q_pos) const {
    bool formatted = false;
    size_t k = q_pos;
    while (k > 0 && q_pos - k < 3 && std::strchr("rRbBuUfFtT", s_[k - 1]) && s_[k - 1] != '\0') {
      --k;
      formatted |= std::strchr("fFtT", s_[k]) != nullptr;
    }
    return formatted;
  }

  Token string_token(size_t start, size_t quote, literal::Prefix p) {
    Token t = make(Tok::String, start, skip_string(quote));
    t.plain_str = !p.bytes && !p.formatted;
    return t;
  }

  Token name_or_string(size_t start) {
    size_t j = start;
    while (j < n_ && kIdent[static_cast<unsigned char>(s_[j])]) ++j;
    if (j < n_ && (s_[j] == '"' || s_[j] == '\'') && j - start <= 3) {
      literal::Prefix p = literal::read_prefix(s_.substr(start, j - start));
      if (p.length == j - start) return string_token(start, j, p);
    }
    return make(Tok::Name, start, j);
  }

  // An operator starting with `c`: '=' and augmented assignments matter, the rest is Other.
  Token op(size_t start) {
    const char c = s_[start];
    const char d = start + 1 < n_ ? s_[start + 1] : '\0';
    switch (c) {
      case '=':
        return d == '=' ? make(Tok::Other, start, start + 2) : make(Tok::Assign, start, start + 1);
      case ':':
        return d == '=' ? make(Tok::Other, start, start + 2) : make(Tok::Colon, start, start + 1);
      case '!':
        return make(Tok::Other, start, start + (d == '=' ? 2 : 1));
      case '+':
      case '-':
      case '%':
      case '&':
      case '|':
      case '^':
      case '@':
        return d == '=' ? make(Tok::AugAssign, start, start + 2)
                        : make(Tok::Other, start, start + 1);
      case '*':
      case '/':
      case '<':
      case '>': {
        const bool doubled = d == c;
        const size_t after = start + (doubled ? 2 : 1);
        if (after < n_ && s_[after] == '=') {
          // `<=` and `>=` compare; `<<=`, `>>=`, `*=`, `**=`, `/=`, `//=` assign.
          const bool aug = doubled || c == '*' || c == '/';
          return make(aug ? Tok::AugAssign : Tok::Other, start, after + 1);
        }
        return make(Tok::Other, start, after);
      }
      default:
        return make(Tok::Other, start, start + 1);
    }
  }

  // The next token of the current logical line. Newlines inside brackets, comments,
  // whitespace and backslash continuations are skipped.
  Token next() {
    while (i_ < n_) {
      const char c = s_[i_];
      switch (c) {
        case ' ':
        case '\t':
        case '\f':
        case '\r':
          ++i_;
          continue;
        case '\n':
          newline_at(i_);
          ++i_;
          if (depth_ > 0) continue;
          return make(Tok::Newline, i_ - 1, i_);
        case '#': {
          const void* nl = std::memchr(s_.data() + i_, '\n', n_ - i_);
          i_ = nl ? static_cast<size_t>(static_cast<const char*>(nl) - s_.data()) : n_;
          continue;
        }
        case '\\':
          if (i_ + 1 < n_ && s_[i_ + 1] == '\n') {
            newline_at(i_ + 1);
            i_ += 2;
            continue;
          }
          if (i_ + 2 < n_ && s_[i_ + 1] == '\r' && s_[i_ + 2] == '\n') {
            newline_at(i_ + 2);
            i_ += 3;
            continue;
          }
          return make(Tok::Other, i_, i_ + 1);
        case '"':
        case '\'':
          return string_token(i_, i_, literal::Prefix{});
        case '(':
        case '[':
        case '{': {
          Token t = make(Tok::Open, i_, i_ + 1);
          open_bracket(t.start);
          if (depth_ > kMaxNesting && !line_deep_) {
            line_deep_ = true;
            deep_ = t;
          }
          return t;
        }
        case ')':
        case ']':
        case '}':
          close_bracket(i_);
          return make(Tok::Close, i_, i_ + 1);
        case ';':
          return make(Tok::Semicolon, i_, i_ + 1);
        default:
          break;
      }
      const auto u = static_cast<unsigned char>(c);
      if (u >= '0' && u <= '9') {
        size_t j = i_ + 1;
        while (j < n_ && (kIdent[static_cast<unsigned char>(s_[j])] || s_[j] == '.')) ++j;
        return make(Tok::Other, i_, j);
      }
      if (kIdent[u]) return name_or_string(i_);
      return op(i_);
    }
    return make(Tok::End, n_, n_);
  }

  std::string_view s_;
  size_t n_;
  size_t i_ = 0;
  uint32_t line_ = 0;
  size_t line_start_ = 0;
  int depth_ = 0;
  int max_depth_ = 0;
  bool line_deep_ = false;  ///< the current logical line went deeper than kMaxNesting
  Token deep_;              ///< its first bracket beyond kMaxNesting
  struct Open {
    char c = '(';
    uint32_t byte = 0;
    uint32_t line = 0;
    uint32_t column = 0;
  };
  std::array<Open, kMaxNesting> open_{};  ///< the open brackets, outermost first
  std::optional<TokenError> error_;
  std::vector<StringInterior>* long_strings_ = nullptr;  ///< lines() records them there
};

}  // namespace

ModuleScan scan_module(std::string_view source) {
  return Scanner(source).run();
}

std::vector<LogicalLine> logical_lines(std::string_view source,
                                       std::vector<StringInterior>* long_strings) {
  return Scanner(source).lines(long_strings);
}

}  // namespace alembic::scan
