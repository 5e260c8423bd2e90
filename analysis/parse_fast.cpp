#include "analysis/parse_fast.h"

#include <string>
#include <vector>

namespace alembic::fast {

namespace {

using Part = extract::Extractor::Part;

struct Point {
  uint32_t byte = 0, line = 0, column = 0;
};

SourceRange make_range(Point a, Point b) {
  SourceRange r;
  r.start_byte = a.byte;
  r.end_byte = b.byte;
  r.start_line = a.line;
  r.start_column = a.column;
  r.end_line = b.line;
  r.end_column = b.column;
  return r;
}

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool is_quote(char c) {
  return c == '\'' || c == '"';
}

// Names this reader leaves to tree-sitter: Python's keywords (None, True and False
// are read as values, never as targets) and the words tree-sitter-python gives a
// grammar of their own.
bool is_reserved(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "and",      "as",       "assert", "async", "await",  "break",  "case",  "class",
      "continue", "def",      "del",    "elif",  "else",   "except", "exec",  "finally",
      "for",      "from",     "global", "if",    "import", "in",     "is",    "lambda",
      "match",    "nonlocal", "not",    "or",    "pass",   "print",  "raise", "return",
      "try",      "type",     "while",  "with",  "yield"};
  for (std::string_view k : kWords)
    if (k == w) return true;
  return false;
}

bool is_constant(std::string_view w) {
  return w == "None" || w == "True" || w == "False";
}

// A value as tree-sitter would build it, with the parentheses around one expression
// already removed (range is the unwrapped node's).
struct Value {
  enum Kind { Name, Str, Tuple, List, Bare } kind = Name;
  Point start, end;
  std::string_view name;     // Name
  std::vector<Part> parts;   // Str
  std::vector<Value> items;  // Tuple, List, Bare: names and strings only
};

class LineReader {
 public:
  LineReader(std::string_view source, const scan::Statement& s)
      : src_(source), s_(s), end_(s.end_byte) {
    at_ = {s.start_byte, s.start_line, s.start_column};
  }

  // Feeds the line to `ex`; false (and `ex` untouched) when it is not one of the shapes.
  bool read(extract::Extractor& ex) {
    if (s_.too_deep) return false;
    if (at_.byte >= end_) return false;
    if (starts_string()) return docstring(ex);
    std::vector<std::pair<std::string_view, SourceRange>> targets;
    std::string_view first;
    Point a = at_;
    if (!name(first) || is_constant(first)) return false;
    targets.push_back({first, make_range(a, at_)});
    if (!inline_space()) return false;
    if (s_.gap_start_byte < s_.gap_end_byte) {
      if (at_.byte != s_.gap_start_byte) return false;
      at_ = {s_.gap_end_byte, s_.gap_end_line, s_.gap_end_column};
    }
    if (!assign_sign()) return false;
    Value value;
    Point vs, ve;
    for (;;) {
      value = Value{};
      if (!top_value(value, vs, ve)) return false;
      if (!inline_space()) return false;
      if (peek() != '=') break;
      // `A = B = value`: B is one more target, written bare.
      if (s_.gap_start_byte < s_.gap_end_byte || value.kind != Value::Name ||
          vs.byte != value.start.byte || ve.byte != value.end.byte || is_constant(value.name))
        return false;
      targets.push_back({value.name, make_range(vs, ve)});
      if (!assign_sign()) return false;
    }
    if (!line_end()) return false;
    apply(ex, targets, value, make_range(vs, ve));
    return true;
  }

 private:
  char peek(uint32_t ahead = 0) const {
    return at_.byte + ahead < end_ ? src_[at_.byte + ahead] : '\0';
  }
  void step() {
    if (src_[at_.byte] == '\n') {
      ++at_.line;
      at_.column = 0;
    } else {
      ++at_.column;
    }
    ++at_.byte;
  }

  bool name(std::string_view& out) {
    if (!is_name_start(peek())) return false;
    const uint32_t from = at_.byte;
    while (is_name_char(peek())) step();
    // Non-ASCII letters, or a prefix glued to a quote (b"", f"", ...): not ours.
    const char next = peek();
    if (static_cast<unsigned char>(next) >= 0x80 || is_quote(next)) return false;
    out = src_.substr(from, at_.byte - from);
    return !is_reserved(out);
  }

  // Spaces and tabs on the line. False on a character tree-sitter and Python may
  // read differently (a backslash continuation, form feed, a lone carriage return).
  bool inline_space() {
    for (;;) {
      const char c = peek();
      if (c == ' ' || c == '\t') {
        step();
      } else if (c == '\\' || c == '\f' || (c == '\r' && peek(1) != '\n')) {
        return false;
      } else {
        return true;
      }
    }
  }

  // Inside brackets: spaces, newlines and comments.
  bool bracket_space() {
    for (;;) {
      if (!inline_space()) return false;
      const char c = peek();
      if (c == '\r' || c == '\n') {
        step();
      } else if (c == '#') {
        if (!comment()) return false;
      } else {
        return true;
      }
    }
  }

  bool comment() {
    while (at_.byte < end_ && src_[at_.byte] != '\n' && src_[at_.byte] != '\r') {
      if (src_[at_.byte] == '\0') return false;
      step();
    }
    return true;
  }

  bool assign_sign() {
    if (peek() != '=' || peek(1) == '=') return false;
    step();
    return true;
  }

  // After the value: a comment, then the newline that ends the statement.
  bool line_end() {
    if (peek() == '#' && !comment()) return false;
    if (peek() == '\r' && peek(1) == '\n') step();
    if (peek() == '\n') step();
    return at_.byte == end_;
  }

  // A quote, or one of the prefixes r, R, u, U and a quote. Other prefixes (bytes,
  // f-strings) are not.
  bool starts_string() const {
    const char c = peek();
    if (is_quote(c)) return true;
    return (c == 'r' || c == 'R' || c == 'u' || c == 'U') && is_quote(peek(1));
  }

  bool string(Part& out) {
    const Point from = at_;
    if (!is_quote(peek())) step();  // the prefix
    const char q = peek();
    const bool triple = peek(1) == q && peek(2) == q;
    for (int i = 0; i < (triple ? 3 : 1); ++i) step();
    for (;;) {
      if (at_.byte >= end_) return false;
      const char c = src_[at_.byte];
      if (c == '\0') return false;
      if (c == '\\') {
        step();
        if (at_.byte >= end_) return false;
        if (!triple && (src_[at_.byte] == '\r' || src_[at_.byte] == '\n')) return false;
        step();
        continue;
      }
      if (!triple && (c == '\n' || c == '\r')) return false;
      if (c == q && (!triple || (peek(1) == q && peek(2) == q))) {
        for (int i = 0; i < (triple ? 3 : 1); ++i) step();
        break;
      }
      step();
    }
    out = {src_.substr(from.byte, at_.byte - from.byte), from.byte};
    return true;
  }

  // One or more literals written next to each other (an implicit concatenation).
  bool strings(Value& v, bool in_brackets) {
    v.kind = Value::Str;
    v.start = at_;
    do {
      Part p;
      if (!string(p)) return false;
      v.parts.push_back(p);
      v.end = at_;
      if (!(in_brackets ? bracket_space() : inline_space())) return false;
    } while (starts_string());
    return true;
  }

  // One expression: a name, literals, or a bracketed form. `outer_*` is its range
  // with any parentheses around it; `v` the unwrapped node's.
  bool atom(Value& v, Point& outer_start, Point& outer_end, bool in_brackets) {
    outer_start = at_;
    const char c = peek();
    if (starts_string()) {
      if (!strings(v, in_brackets)) return false;
      outer_end = v.end;
      return true;
    }
    if (c == '(' || c == '[') return bracketed(v, outer_start, outer_end, in_brackets);
    std::string_view n;
    if (!name(n)) return false;
    v.kind = Value::Name;
    v.name = n;
    v.start = outer_start;
    v.end = outer_end = at_;
    return in_brackets ? bracket_space() : inline_space();
  }

  bool bracketed(Value& v, Point outer_start, Point& outer_end, bool in_brackets) {
    const char close = peek() == '(' ? ')' : ']';
    step();
    if (!bracket_space()) return false;
    std::vector<Value> items;
    bool comma = false;
    while (peek() != close) {
      Value item;
      Point s, e;
      if (!atom(item, s, e, true)) return false;
      if (item.kind != Value::Name && item.kind != Value::Str) return false;  // nested
      items.push_back(std::move(item));
      if (peek() == ',') {
        comma = true;
        step();
        if (!bracket_space()) return false;
      } else if (peek() != close) {
        return false;
      }
    }
    step();
    outer_end = at_;
    if (close == ')' && items.size() == 1 && !comma) {
      v = std::move(items.front());  // parentheses around one expression
    } else {
      v.kind = close == ')' ? Value::Tuple : Value::List;
      v.items = std::move(items);
      v.start = outer_start;
      v.end = outer_end;
    }
    return in_brackets ? bracket_space() : inline_space();
  }

  // The right-hand side: an expression or a bare comma list of them.
  bool top_value(Value& v, Point& vs, Point& ve) {
    if (!inline_space()) return false;
    if (!atom(v, vs, ve, false)) return false;
    if (peek() != ',') return true;
    Value list;
    list.kind = Value::Bare;
    list.start = vs;
    if (v.kind != Value::Name && v.kind != Value::Str) return false;
    list.items.push_back(std::move(v));
    while (peek() == ',') {
      step();
      ve = at_;  // tree-sitter's expression_list ends after a trailing comma
      if (!inline_space()) return false;
      if (peek() == '#' || peek() == '\r' || peek() == '\n' || at_.byte >= end_ || peek() == '=')
        break;
      Value item;
      Point s, e;
      if (!atom(item, s, e, false)) return false;
      if (item.kind != Value::Name && item.kind != Value::Str) return false;
      list.items.push_back(std::move(item));
      ve = e;
    }
    list.end = ve;
    v = std::move(list);
    return true;
  }

  bool docstring(extract::Extractor& ex) {
    Value v;
    if (!strings(v, false) || !line_end()) return false;
    ex.docstring_literal(v.parts, make_range(v.start, v.end));
    return true;
  }

  void element(const Value& item, extract::Extractor& ex, AssignedValue& out) const {
    const SourceRange r = make_range(item.start, item.end);
    if (item.kind == Value::Str) {
      if (auto s = extract::Extractor::literal_value(item.parts)) {
        out.strings.push_back({std::move(*s), r});
        return;
      }
    } else if (const std::string* s = ex.bound_string(item.name)) {
      out.strings.push_back({*s, r});
      return;
    }
    out.unresolved.push_back(
        {std::string(src_.substr(r.start_byte, r.end_byte - r.start_byte)), r});
  }

  void apply(extract::Extractor& ex,
             const std::vector<std::pair<std::string_view, SourceRange>>& targets,
             const Value& value, const SourceRange& value_range) const {
    // Values first: `revision = REV` sees REV as it was before this line.
    for (const auto& [target, name_range] : targets) {
      if (!scan::is_alembic_name(target)) continue;
      AssignedValue v;
      v.present = true;
      v.name_range = name_range;
      v.value_range = value_range;
      if (value.kind == Value::Name && value.name == "None") {
        v.is_none = true;
      } else if (value.kind == Value::Name || value.kind == Value::Str) {
        element(value, ex, v);
      } else {
        v.is_sequence = true;
        for (const Value& item : value.items) element(item, ex, v);
      }
      ex.assign(target, std::move(v));
    }
    std::optional<std::string> bound;
    if (value.kind == Value::Str) bound = extract::Extractor::literal_value(value.parts);
    for (const auto& target : targets) ex.bind(target.first, bound);
  }

  std::string_view src_;
  const scan::Statement& s_;
  uint32_t end_;
  Point at_;
};

}  // namespace

bool read_simple_lines(std::string_view source, const scan::ModuleScan& scan,
                       extract::Extractor& ex) {
  size_t next = 0;
  for (const scan::Statement& s : scan.statements) {
    while (next < scan.rebindings.size() && scan.rebindings[next].byte < s.start_byte)
      ex.rebind(scan.rebindings[next++].name);
    if (!LineReader(source, s).read(ex)) return false;
  }
  while (next < scan.rebindings.size()) ex.rebind(scan.rebindings[next++].name);
  return true;
}

}  // namespace alembic::fast
