#include "analysis/operations_flat.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "analysis/operation_build.h"
#include "analysis/operation_calls.h"
#include "analysis/operations_flat_tokens.h"

namespace alembic {

namespace flat {

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
  // Where the parser gathers a node's children and arguments before they are copied to
  // `kids` and `args` (nested nodes stack theirs above), without an allocation per node.
  std::vector<uint32_t> kid_stack;
  std::vector<ArgData> arg_stack;
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
  if (!n.tree) return false;
  const char* mine = n.data().type;
  return mine == type || (mine[0] == type[0] && std::strcmp(mine, type) == 0);
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
      out.keywords.add(a.keyword, Node{n.tree, a.node});
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
  // Node n's children: kid_stack from `mark` on (then dropped from it).
  void set_kids(uint32_t n, size_t mark) {
    std::vector<uint32_t>& stack = tree_.kid_stack;
    tree_.nodes[n].kids_begin = static_cast<uint32_t>(tree_.kids.size());
    tree_.kids.insert(tree_.kids.end(), stack.begin() + static_cast<std::ptrdiff_t>(mark),
                      stack.end());
    tree_.nodes[n].kids_end = static_cast<uint32_t>(tree_.kids.size());
    stack.resize(mark);
  }
  size_t kid_mark() const { return tree_.kid_stack.size(); }
  void push_kid(uint32_t n) { tree_.kid_stack.push_back(n); }

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
      const size_t mark = kid_mark();
      while (pos_ < end_ && t_[pos_].kind == Token::String) {
        push_kid(node("string", pos_, pos_));
        ++pos_;
      }
      if (kid_mark() - mark == 1) {
        n = tree_.kid_stack.back();
        tree_.kid_stack.resize(mark);
      } else {
        n = node("concatenated_string", first, pos_ - 1);
        set_kids(n, mark);
      }
    } else if (t.kind == Token::Number) {
      ++pos_;
      n = node("other", first, first);
    } else if (op("...")) {
      ++pos_;
      n = node("ellipsis", first, first);
    } else if (op("(")) {
      ++pos_;
      const size_t mark = kid_mark();
      bool tuple = false;
      while (!op(")")) {
        if (op("*")) throw Decline{};
        push_kid(expression(depth + 1));
        if (op(",")) {
          ++pos_;
          tuple = true;
        } else if (!op(")")) {
          throw Decline{};
        }
      }
      ++pos_;
      tuple = tuple || kid_mark() == mark;
      n = node(tuple ? "tuple" : "parenthesized_expression", first, pos_ - 1);
      set_kids(n, mark);
    } else if (op("[")) {
      ++pos_;
      const size_t mark = kid_mark();
      while (!op("]")) {
        if (op("*")) throw Decline{};
        push_kid(expression(depth + 1));
        if (op(",")) {
          ++pos_;
        } else if (!op("]")) {
          throw Decline{};
        }
      }
      ++pos_;
      n = node("list", first, pos_ - 1);
      set_kids(n, mark);
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
        const size_t mark = tree_.arg_stack.size();
        arguments(depth);
        n = node("call", first, pos_ - 1);
        NodeData& d = tree_.nodes[n];
        d.callee = fn;
        d.receiver = object;
        std::vector<ArgData>& stack = tree_.arg_stack;
        d.args_begin = static_cast<uint32_t>(tree_.args.size());
        tree_.args.insert(tree_.args.end(), stack.begin() + static_cast<std::ptrdiff_t>(mark),
                          stack.end());
        d.args_end = static_cast<uint32_t>(tree_.args.size());
        stack.resize(mark);
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

  // The arguments of a call, pushed on tree_.arg_stack.
  void arguments(int depth) {
    ++pos_;  // the '(' the caller saw
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
      tree_.arg_stack.push_back(a);
      if (op(",")) {
        ++pos_;
      } else if (!op(")")) {
        throw Decline{};  // a generator argument, a walrus, ...
      }
    }
    ++pos_;
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
    tokens_ = tokenize(source_);
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
    out.operations.reserve(body.size());
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
