#include "analysis/operations_flat.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "analysis/operation_build.h"
#include "analysis/operation_calls.h"

namespace alembic {

namespace flat {

// The reader meets something outside the flat form: the tree-sitter reader takes over.
struct Decline {};

struct Token {
  enum Kind : uint8_t { Name, String, Number, Op, Newline };
  Kind kind = Op;
  uint32_t start = 0, end = 0;
  uint32_t line = 0, column = 0, end_line = 0, end_column = 0;
};

// Whether token `t` of `source` is `text` (a literal: its length known, no call).
template <size_t N>
bool spelled(std::string_view source, const Token& t, const char (&text)[N]) {
  if (t.end - t.start != N - 1) return false;
  for (size_t i = 0; i + 1 < N; ++i)
    if (source[t.start + i] != text[i]) return false;
  return true;
}

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
        while (p < s_.size() && p - pos_ < 3 && std::strchr("rRbBuUfF", s_[p]) && s_[p] != 0) ++p;
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

// An expression as the tree-sitter reader would see it: `type` is tree-sitter's name for
// the node where the reader looks at it ("call", "string", "none", ...), "other" else.
struct NodeData {
  const char* type = "other";
  SourceRange range;
  std::string_view callee;                ///< call: the last name of its function
  std::string_view receiver;              ///< call of NAME.attr(...): NAME
  uint32_t kids_begin = 0, kids_end = 0;  ///< named children (string parts, elements)
  uint32_t args_begin = 0, args_end = 0;  ///< call: its arguments
};

struct ArgData {
  std::string_view keyword;  ///< "" for a positional argument
  uint32_t node = 0;
  bool splat = false;
};

struct Tree {
  std::vector<NodeData> nodes;
  std::vector<uint32_t> kids;
  std::vector<ArgData> args;
};

struct Node {
  const Tree* tree = nullptr;
  uint32_t index = 0;
  const NodeData& data() const { return tree->nodes[index]; }
};

bool is_null(Node n) {
  return n.tree == nullptr;
}
bool is(Node n, const char* type) {
  return n.tree && std::strcmp(n.data().type, type) == 0;
}
SourceRange range_of(Node n) {
  return n.data().range;
}
std::string_view node_text(std::string_view source, Node n) {
  const SourceRange& r = n.data().range;
  return source.substr(r.start_byte, r.end_byte - r.start_byte);
}
std::string_view callee_name(std::string_view, Node n) {
  return n.data().callee;
}
Node first_named_child(Node n) {
  const NodeData& d = n.data();
  return d.kids_begin < d.kids_end ? Node{n.tree, n.tree->kids[d.kids_begin]} : Node{};
}
template <class F>
void for_each_named_child(Node n, F&& f) {
  const NodeData& d = n.data();
  for (uint32_t i = d.kids_begin; i < d.kids_end; ++i)
    if (!f(Node{n.tree, n.tree->kids[i]})) return;
}
op_calls::BasicArguments<Node> arguments_of(std::string_view, Node n) {
  op_calls::BasicArguments<Node> out;
  const NodeData& d = n.data();
  for (uint32_t i = d.args_begin; i < d.args_end; ++i) {
    const ArgData& a = n.tree->args[i];
    if (a.splat) {
      out.has_splat = true;
    } else if (!a.keyword.empty()) {
      out.keywords.emplace(std::string(a.keyword), Node{n.tree, a.node});
    } else if (!out.has_splat) {
      out.positional.push_back(Node{n.tree, a.node});
    }
  }
  return out;
}

// Recursive descent over the tokens of one logical line.
class Parser {
 public:
  Parser(std::string_view source, const std::vector<Token>& tokens, Tree& tree)
      : source_(source), t_(tokens), tree_(tree) {}

  // The expression [begin, end) must be whole; returns its node.
  uint32_t whole(size_t begin, size_t end) {
    pos_ = begin;
    end_ = end;
    const uint32_t n = expression(0);
    if (pos_ != end_) throw Decline{};
    return n;
  }

 private:
  template <size_t N>
  bool op(const char (&text)[N]) const {
    return pos_ < end_ && t_[pos_].kind == Token::Op && spelled(t_[pos_], text);
  }
  template <size_t N>
  bool name(const char (&text)[N]) const {
    return pos_ < end_ && t_[pos_].kind == Token::Name && spelled(t_[pos_], text);
  }
  template <size_t N>
  bool spelled(const Token& t, const char (&text)[N]) const {
    return flat::spelled(source_, t, text);
  }

  uint32_t node(const char* type, size_t first, size_t last) {
    NodeData d;
    d.type = type;
    const Token &a = t_[first], &b = t_[last];
    d.range = {a.start, b.end, a.line, a.column, b.end_line, b.end_column};
    tree_.nodes.push_back(d);
    return static_cast<uint32_t>(tree_.nodes.size() - 1);
  }
  void set_kids(uint32_t n, const std::vector<uint32_t>& kids) {
    tree_.nodes[n].kids_begin = static_cast<uint32_t>(tree_.kids.size());
    tree_.kids.insert(tree_.kids.end(), kids.begin(), kids.end());
    tree_.nodes[n].kids_end = static_cast<uint32_t>(tree_.kids.size());
  }

  uint32_t expression(int depth) {
    if (depth > 100) throw Decline{};
    const size_t first = pos_;
    uint32_t left = unary(depth);
    for (;;) {
      const bool binary = pos_ < end_ && is_binary(t_[pos_]);
      if (!binary) return left;
      if (name("not")) ++pos_;  // `not in`
      ++pos_;
      unary(depth + 1);
      left = node("other", first, pos_ - 1);
    }
  }

  // An operator between two operands (`not` only as `not in`).
  bool is_binary(const Token& t) const {
    const std::string_view w = source_.substr(t.start, t.end - t.start);
    if (t.kind == Token::Op) {
      if (w.size() == 1) return std::strchr("+-*/%@|&^<>", w[0]) != nullptr;
      return w == "//" || w == "**" || w == "<<" || w == ">>" || w == "==" || w == "!=" ||
             w == "<=" || w == ">=";
    }
    if (t.kind != Token::Name || w.size() > 4) return false;
    if (w == "not") return &t + 1 < t_.data() + end_ && spelled(*(&t + 1), "in");
    return w == "and" || w == "or" || w == "in" || w == "is" || w == "if" || w == "else";
  }

  // Python's keywords that cannot start an operand here (and print/exec, which
  // tree-sitter-python reads as Python 2 statements).
  static bool reserved(std::string_view word) {
    static constexpr std::string_view kWords[] = {
        "and",   "as",     "assert", "async",  "await",  "break",    "class", "continue", "def",
        "del",   "elif",   "else",   "except", "exec",   "finally",  "for",   "from",     "global",
        "if",    "import", "in",     "is",     "lambda", "nonlocal", "not",   "or",       "pass",
        "print", "raise",  "return", "try",    "while",  "with",     "yield"};
    if (word.empty() || word[0] < 'a' || word[0] > 'y' || word.size() > 8) return false;
    return std::binary_search(std::begin(kWords), std::end(kWords), word);
  }

  uint32_t unary(int depth) {
    if (depth > 100) throw Decline{};
    const size_t first = pos_;
    if (op("-") || op("+") || op("~") || name("not")) {
      ++pos_;
      unary(depth + 1);
      return node("other", first, pos_ - 1);
    }
    return primary(depth);
  }

  uint32_t primary(int depth) {
    if (pos_ >= end_) throw Decline{};
    const size_t first = pos_;
    const Token& t = t_[pos_];
    uint32_t n = 0;
    std::string_view callee, receiver;  // what a call on this node would be named by
    if (t.kind == Token::Name) {
      const std::string_view word = source_.substr(t.start, t.end - t.start);
      if (reserved(word)) throw Decline{};
      ++pos_;
      if (word == "None") {
        n = node("none", first, first);
      } else if (word == "True") {
        n = node("true", first, first);
      } else if (word == "False") {
        n = node("false", first, first);
      } else {
        n = node("identifier", first, first);
        callee = word;
      }
    } else if (t.kind == Token::String) {
      std::vector<uint32_t> parts;
      while (pos_ < end_ && t_[pos_].kind == Token::String) {
        parts.push_back(node("string", pos_, pos_));
        ++pos_;
      }
      if (parts.size() == 1) {
        n = parts[0];
      } else {
        n = node("concatenated_string", first, pos_ - 1);
        set_kids(n, parts);
      }
    } else if (t.kind == Token::Number) {
      ++pos_;
      n = node("other", first, first);
    } else if (op("...")) {
      ++pos_;
      n = node("ellipsis", first, first);
    } else if (op("(")) {
      ++pos_;
      std::vector<uint32_t> elements;
      bool tuple = false;
      while (!op(")")) {
        if (op("*")) throw Decline{};
        elements.push_back(expression(depth + 1));
        if (op(",")) {
          ++pos_;
          tuple = true;
        } else if (!op(")")) {
          throw Decline{};
        }
      }
      ++pos_;
      tuple = tuple || elements.empty();
      n = node(tuple ? "tuple" : "parenthesized_expression", first, pos_ - 1);
      set_kids(n, elements);
    } else if (op("[")) {
      ++pos_;
      std::vector<uint32_t> elements;
      while (!op("]")) {
        if (op("*")) throw Decline{};
        elements.push_back(expression(depth + 1));
        if (op(",")) {
          ++pos_;
        } else if (!op("]")) {
          throw Decline{};
        }
      }
      ++pos_;
      n = node("list", first, pos_ - 1);
      set_kids(n, elements);
    } else if (op("{")) {
      skip_brackets();
      n = node("other", first, pos_ - 1);
    } else {
      throw Decline{};
    }
    // Trailers: .name, (arguments), [subscript].
    for (;;) {
      if (op(".")) {
        ++pos_;
        if (pos_ >= end_ || t_[pos_].kind != Token::Name) throw Decline{};
        const Token& attr = t_[pos_];
        receiver = is_identifier(n) ? callee : std::string_view{};
        callee = source_.substr(attr.start, attr.end - attr.start);
        ++pos_;
        n = node("attribute", first, pos_ - 1);
        continue;
      }
      if (op("(")) {
        const bool named = is_identifier(n) || is_attribute(n);
        const std::string_view fn = named ? callee : std::string_view{};
        const std::string_view object = is_attribute(n) ? receiver : std::string_view{};
        const std::vector<ArgData> args = arguments(depth);
        n = node("call", first, pos_ - 1);
        NodeData& d = tree_.nodes[n];
        d.callee = fn;
        d.receiver = object;
        d.args_begin = static_cast<uint32_t>(tree_.args.size());
        tree_.args.insert(tree_.args.end(), args.begin(), args.end());
        tree_.nodes[n].args_end = static_cast<uint32_t>(tree_.args.size());
        callee = receiver = {};
        continue;
      }
      if (op("[")) {
        skip_brackets();
        n = node("other", first, pos_ - 1);
        callee = receiver = {};
        continue;
      }
      return n;
    }
  }

  bool is_identifier(uint32_t n) const {
    return std::strcmp(tree_.nodes[n].type, "identifier") == 0;
  }
  bool is_attribute(uint32_t n) const { return std::strcmp(tree_.nodes[n].type, "attribute") == 0; }

  std::vector<ArgData> arguments(int depth) {
    ++pos_;  // the '(' the caller saw
    std::vector<ArgData> out;
    while (!op(")")) {
      ArgData a;
      if (op("*") || op("**")) {
        ++pos_;
        a.splat = true;
      } else if (pos_ + 1 < end_ && t_[pos_].kind == Token::Name &&
                 t_[pos_ + 1].kind == Token::Op && spelled(t_[pos_ + 1], "=")) {
        a.keyword = source_.substr(t_[pos_].start, t_[pos_].end - t_[pos_].start);
        pos_ += 2;
      }
      a.node = expression(depth + 1);
      out.push_back(a);
      if (op(",")) {
        ++pos_;
      } else if (!op(")")) {
        throw Decline{};  // a generator argument, a walrus, ...
      }
    }
    ++pos_;
    return out;
  }

  // From an opening bracket to just after its match (the lexer checked they match).
  void skip_brackets() {
    int depth = 0;
    do {
      if (pos_ >= end_) throw Decline{};
      const Token& t = t_[pos_++];
      if (t.kind != Token::Op) continue;
      const char c = source_[t.start];
      if (t.end - t.start == 1 && (c == '(' || c == '[' || c == '{')) ++depth;
      if (t.end - t.start == 1 && (c == ')' || c == ']' || c == '}')) --depth;
    } while (depth > 0);
  }

  std::string_view source_;
  const std::vector<Token>& t_;
  Tree& tree_;
  size_t pos_ = 0, end_ = 0;
};

struct Line {
  size_t begin = 0, end = 0;  ///< tokens, the Newline excluded
  uint32_t indent = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  MigrationOperations read() {
    tokens_ = Lexer(source_).run();
    tree_.nodes.reserve(tokens_.size());
    tree_.kids.reserve(tokens_.size() / 2);
    tree_.args.reserve(tokens_.size() / 2);
    std::vector<Line> lines;
    size_t begin = 0;
    for (size_t i = 0; i < tokens_.size(); ++i)
      if (tokens_[i].kind == Token::Newline) {
        if (i > begin) lines.push_back({begin, i, tokens_[begin].column});
        begin = i + 1;
      }
    // Module level: the last `def upgrade` and `def downgrade`, each with its body lines.
    struct Function {
      bool found = false;
      size_t name = 0;
      std::vector<Line> body;
    };
    Function upgrade, downgrade;
    Function* current = nullptr;
    for (const Line& line : lines) {
      if (line.indent > 0) {
        if (current) current->body.push_back(line);
        continue;
      }
      if (current && current->body.empty()) throw Decline{};
      current = nullptr;
      const Token& first = tokens_[line.begin];
      if (first.kind == Token::Op && spelled(first, "@")) throw Decline{};
      if (first.kind != Token::Name) continue;
      if (spelled(first, "async")) throw Decline{};
      if (!spelled(first, "def")) continue;
      if (line.end - line.begin < 5 || tokens_[line.begin + 1].kind != Token::Name ||
          !spelled(tokens_[line.begin + 2], "(") || !spelled(tokens_[line.end - 1], ":"))
        throw Decline{};
      // The ':' ending the line must end the header: no body on the same line.
      size_t p = line.begin + 2;
      int depth = 0;
      do {
        const Token& t = tokens_[p++];
        if (t.kind == Token::Op && t.end - t.start == 1) {
          const char c = source_[t.start];
          if (c == '(' || c == '[' || c == '{') ++depth;
          if (c == ')' || c == ']' || c == '}') --depth;
        }
      } while (depth > 0 && p < line.end);
      if (p < line.end - 1 && !spelled(tokens_[p], "->")) throw Decline{};
      for (size_t q = p; q < line.end - 1; ++q)
        if (spelled(tokens_[q], ":")) throw Decline{};
      const Token& name = tokens_[line.begin + 1];
      Function* f = spelled(name, "upgrade")     ? &upgrade
                    : spelled(name, "downgrade") ? &downgrade
                                                 : nullptr;
      if (f) {
        *f = Function{true, line.begin + 1, {}};
        current = f;
      }
    }
    if (current && current->body.empty()) throw Decline{};
    MigrationOperations out;
    if (upgrade.found) function(upgrade.name, upgrade.body, out.upgrade);
    if (downgrade.found) function(downgrade.name, downgrade.body, out.downgrade);
    return out;
  }

 private:
  template <size_t N>
  bool spelled(const Token& t, const char (&text)[N]) const {
    return flat::spelled(source_, t, text);
  }

  void function(size_t name, const std::vector<Line>& body, FunctionOperations& out) {
    const Token& n = tokens_[name];
    out.name_range = {n.start, n.end, n.line, n.column, n.end_line, n.end_column};
    out.body = BodyKind::Empty;
    bool decided = false;
    const uint32_t indent = body.front().indent;
    for (const Line& line : body) {
      if (line.indent != indent) throw Decline{};
      const Token& first = tokens_[line.begin];
      const size_t count = line.end - line.begin;
      bool skip = false;  // does nothing: pass, a string, `...`
      if (count == 1 && first.kind == Token::Name && spelled(first, "pass")) {
        skip = true;
      } else if (count == 1 && first.kind == Token::Op && spelled(first, "...")) {
        skip = true;
      } else if (first.kind == Token::String) {
        for (size_t i = line.begin; i < line.end; ++i)
          if (tokens_[i].kind != Token::String) throw Decline{};
        skip = true;
      }
      if (!skip && !decided) {
        out.body = first.kind == Token::Name && spelled(first, "raise") ? BodyKind::Raises
                                                                        : BodyKind::Statements;
        decided = true;
      }
      if (skip) continue;
      if (first.kind == Token::Name && (spelled(first, "raise") || spelled(first, "return"))) {
        if (count > 1 && spelled(first, "return")) throw Decline{};
        continue;
      }
      statement(line, out.operations);
    }
  }

  // One expression statement: an op.X(...) call (read), or a call on some other object's
  // attribute (which the tree-sitter reader ignores too).
  void statement(const Line& line, std::vector<Operation>& out) {
    Parser parser(source_, tokens_, tree_);
    const uint32_t n = parser.whole(line.begin, line.end);
    const NodeData& d = tree_.nodes[n];
    if (std::strcmp(d.type, "call") != 0) throw Decline{};
    const Token& first = tokens_[line.begin];
    const bool attribute_call = line.end - line.begin >= 3 && first.kind == Token::Name &&
                                spelled(tokens_[line.begin + 1], ".");
    if (!attribute_call) throw Decline{};  // NAME(...): maybe a helper; or (x).y(...)
    if (d.receiver != "op") return;        // not op's: the tree-sitter reader ignores it too
    if (d.callee == "bulk_insert") throw Decline{};  // its table may be a name bound earlier
    if (op_calls::is_helper_call(d.callee)) return;
    Operation op;
    op.function = std::string(d.callee);
    op.range = d.range;
    const op_calls::OperationBuilder<Node> build(source_);
    build.fill(Node{&tree_, n}, op, [](Node) -> OpValue { throw Decline{}; });
    out.push_back(std::move(op));
  }

  std::string_view source_;
  std::vector<Token> tokens_;
  Tree tree_;
};

}  // namespace flat

std::optional<MigrationOperations> read_operations_flat(std::string_view source) {
  try {
    return flat::Reader(source).read();
  } catch (const flat::Decline&) {
    return std::nullopt;
  }
}

}  // namespace alembic
