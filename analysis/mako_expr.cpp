// Python expressions in Mako templates: a recursive descent parser for the subset
// Alembic's templates use, and its evaluation over mako::Value.
#include "analysis/mako_expr.h"

#include <algorithm>
#include <utility>

#include "analysis/python_repr.h"

namespace alembic::mako::detail {

[[noreturn]] void fail(size_t pos, std::string what) {
  throw Failure{pos, std::move(what)};
}

namespace {

// Deeper nesting (brackets, `not`, calls, conditionals) is refused rather than followed:
// the parser and the evaluator recurse once per level. Python refuses 200 nested
// brackets too.
constexpr size_t kMaxNesting = 200;

// A node built by moving its operands in (a braced list would copy them, and copying
// the tree built so far at every step is quadratic).
template <class... Operands>
Expr node(Expr::Kind kind, std::string name, Operands&&... operands) {
  Expr e;
  e.kind = kind;
  e.name = std::move(name);
  e.operands.reserve(sizeof...(operands));
  (e.operands.push_back(std::move(operands)), ...);
  return e;
}

// Recursive descent over the expression text, Python's grammar restricted to
// test: or_test ['if' or_test 'else' test]; or_test/and_test; not_test; and atoms
// (names, str literals, None/True/False, `(test)`, `name(test)`).
class ExprParser {
 public:
  ExprParser(std::string_view code, size_t base) : code_(code), base_(base) {}

  Expr test() {
    const Level level(*this);
    Expr body = binary(Expr::Kind::Or);
    if (!keyword("if")) return body;
    Expr cond = binary(Expr::Kind::Or);
    if (!keyword("else")) unsupported("a conditional expression without `else`");
    Expr orelse = test();
    return node(Expr::Kind::Conditional, {}, std::move(body), std::move(cond), std::move(orelse));
  }

  void expect(char op) {
    skip_space();
    if (i_ >= code_.size() || code_[i_] != op) unsupported("expected `" + std::string(1, op) + "`");
    ++i_;
  }

  void expect_end() {
    skip_space();
    if (i_ < code_.size()) unsupported("unsupported Python syntax");
  }

 private:
  // One level of nesting while it lives; more than kMaxNesting fails.
  class Level {
   public:
    explicit Level(ExprParser& parser) : parser_(parser) {
      if (++parser_.depth_ > kMaxNesting)
        parser_.unsupported("an expression nested more than " + std::to_string(kMaxNesting) +
                            " levels deep");
    }
    ~Level() { --parser_.depth_; }
    Level(const Level&) = delete;
    Level& operator=(const Level&) = delete;

   private:
    ExprParser& parser_;
  };

  [[noreturn]] void unsupported(const std::string& what) const {
    const std::string_view near = code_.substr(i_, 12);
    fail(base_ + i_, what + (near.empty() ? " at the end" : " `" + std::string(near) + "`"));
  }

  void skip_space() {
    while (i_ < code_.size()) {
      const char c = code_[i_];
      if (c == '#') {
        i_ = std::min(code_.size(), code_.find('\n', i_));
      } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                 (c == '\\' && i_ + 1 < code_.size() &&
                  (code_[i_ + 1] == '\n' || code_[i_ + 1] == '\r'))) {
        ++i_;
      } else {
        return;
      }
    }
  }

  std::string_view word() {
    skip_space();
    size_t j = i_;
    while (j < code_.size() && (j > i_ ? is_ident_char(code_[j]) : is_ident_start(code_[j]))) ++j;
    return code_.substr(i_, j - i_);
  }

  bool keyword(std::string_view w) {
    if (word() != w) return false;
    i_ += w.size();
    return true;
  }

  // or_test / and_test: one node for a whole chain, like Python's BoolOp (evaluating
  // `a or b or c` left to right is the same as the left-associative reading).
  Expr binary(Expr::Kind kind) {
    const bool is_or = kind == Expr::Kind::Or;
    Expr first = is_or ? binary(Expr::Kind::And) : negation();
    if (!keyword(is_or ? "or" : "and")) return first;
    Expr chain = node(kind, {}, std::move(first));
    do chain.operands.push_back(is_or ? binary(Expr::Kind::And) : negation());
    while (keyword(is_or ? "or" : "and"));
    return chain;
  }

  Expr negation() {
    if (!keyword("not")) return primary();
    const Level level(*this);
    return node(Expr::Kind::Not, {}, negation());
  }

  Expr primary() {
    skip_space();
    if (i_ < code_.size() && (code_[i_] == '"' || code_[i_] == '\'')) {
      std::string text;
      do text += string_literal();  // "a" "b" concatenates
      while ((skip_space(), i_ < code_.size() && (code_[i_] == '"' || code_[i_] == '\'')));
      return Expr{Expr::Kind::Literal, {}, Value::str(std::move(text)), {}};
    }
    if (i_ < code_.size() && code_[i_] == '(') {
      ++i_;
      Expr inner = test();
      expect(')');
      return inner;
    }
    const std::string name(word());
    static constexpr std::string_view kKeywords[] = {
        "if", "else", "elif", "not", "and", "or", "in", "is", "for", "lambda", "await", "yield"};
    if (name.empty() ||
        std::find(std::begin(kKeywords), std::end(kKeywords), name) != std::end(kKeywords) ||
        (i_ + name.size() < code_.size() &&
         static_cast<unsigned char>(code_[i_ + name.size()]) >= 0x80))
      unsupported("unsupported Python syntax");
    i_ += name.size();
    if (name == "None") return Expr{Expr::Kind::Literal, {}, Value::none(), {}};
    if (name == "True" || name == "False")
      return Expr{Expr::Kind::Literal, {}, Value::boolean(name == "True"), {}};
    if (i_ < code_.size() && (code_[i_] == '"' || code_[i_] == '\'')) unsupported("string prefix");
    skip_space();
    if (i_ >= code_.size() || code_[i_] != '(') return Expr{Expr::Kind::Name, name, {}, {}};
    ++i_;
    Expr arg = test();
    expect(')');
    return node(Expr::Kind::Call, name, std::move(arg));
  }

  std::string string_literal() {
    const char q = code_[i_];
    if (code_.substr(i_, 3) == std::string(3, q)) unsupported("triple-quoted string");
    size_t k = i_ + 1;
    while (k < code_.size() && code_[k] != q && code_[k] != '\n') k += code_[k] == '\\' ? 2 : 1;
    if (k >= code_.size() || code_[k] != q) unsupported("unterminated string literal");
    std::string error;
    const auto value = python::decode_escapes(code_.substr(i_ + 1, k - i_ - 1), &error);
    if (!value) unsupported(error);
    i_ = k + 1;
    return *value;
  }

  std::string_view code_;
  size_t base_;
  size_t i_ = 0;
  size_t depth_ = 0;
};

// repr() of a list of str: ['a', 'b'] (depends_on with several revisions).
std::string repr_str_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + python::repr_str(items[i]);
  return out + "]";
}

std::string to_str(const Value& v, size_t pos) {
  switch (v.kind) {
    case Value::Kind::Undefined:
      fail(pos, "str() of an undefined name (Mako raises NameError)");
    case Value::Kind::None:
      return "None";
    case Value::Kind::Bool:
      return v.flag ? "True" : "False";
    case Value::Kind::Str:
      return v.text;
    case Value::Kind::StrTuple:
      return python::repr_str_tuple(v.items);
    case Value::Kind::StrList:
      return repr_str_list(v.items);
    case Value::Kind::Opaque:
      if (v.has_str) return v.text;
      break;
    default:
      break;
  }
  fail(pos, "str() of an object whose text is unknown");
}

std::string to_repr(const Value& v, size_t pos) {
  switch (v.kind) {
    case Value::Kind::None:
    case Value::Kind::Bool:
      return to_str(v, pos);
    case Value::Kind::Str:
      return python::repr_str(v.text);
    case Value::Kind::StrTuple:
      return python::repr_str_tuple(v.items);
    case Value::Kind::StrList:
      return repr_str_list(v.items);
    default:
      fail(pos, "repr() of an undefined name or an object whose repr is unknown");
  }
}

Value format_as_comma(const Value& v, size_t pos) {
  switch (v.kind) {
    case Value::Kind::None:
      return Value::str("");
    case Value::Kind::Str:
      return v;
    case Value::Kind::StrTuple:
    case Value::Kind::StrList: {
      std::string out;
      for (size_t i = 0; i < v.items.size(); ++i) out += (i ? ", " : "") + v.items[i];
      return Value::str(out);
    }
    default:
      fail(pos, "comma() of a value it cannot format");
  }
}

}  // namespace

Expr parse_expression(std::string_view code, size_t base) {
  ExprParser parser(code, base);
  Expr e = parser.test();
  parser.expect_end();
  return e;
}

Expr parse_clause(std::string_view code, size_t base, bool with_condition) {
  ExprParser parser(code, base);
  Expr e;
  if (with_condition) e = parser.test();
  parser.expect(':');
  parser.expect_end();
  return e;
}

bool truthy(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
      return false;
    case Value::Kind::Bool:
      return v.flag;
    case Value::Kind::Str:
      return !v.text.empty();
    case Value::Kind::StrTuple:
    case Value::Kind::StrList:
      return !v.items.empty();
    default:
      return true;
  }
}

Value Evaluator::eval(const Expr& e) const {
  switch (e.kind) {
    case Expr::Kind::Literal:
      return e.literal;
    case Expr::Kind::Name:
      return lookup(e.name);
    case Expr::Kind::Not:
      return Value::boolean(!truthy(eval(e.operands[0])));
    case Expr::Kind::And:
    case Expr::Kind::Or: {
      // The first operand that decides (falsy for `and`, truthy for `or`), else the last.
      const bool stop_when = e.kind == Expr::Kind::Or;
      Value v;
      for (const Expr& operand : e.operands) {
        v = eval(operand);
        if (truthy(v) == stop_when) break;
      }
      return v;
    }
    case Expr::Kind::Conditional:
      return truthy(eval(e.operands[1])) ? eval(e.operands[0]) : eval(e.operands[2]);
    case Expr::Kind::Call:
      return call(e.name, eval(e.operands[0]));
  }
  fail(pos_, "unsupported expression");
}

Value Evaluator::filter(std::string_view name, const Value& v) const {
  if (name == "str") return Value::str(to_str(v, pos_));
  if (name == "trim") {
    if (v.kind != Value::Kind::Str) fail(pos_, "trim of a value that is not a str");
    return Value::str(python::strip(v.text));
  }
  static constexpr std::string_view kMakoEscapes[] = {"h", "u", "x", "entity", "unicode", "decode"};
  if (std::find(std::begin(kMakoEscapes), std::end(kMakoEscapes), name) != std::end(kMakoEscapes))
    fail(pos_, "unsupported filter `" + std::string(name) + "`");
  return call(name, v);
}

Value Evaluator::lookup(std::string_view name) const {
  const auto it = vars_.find(name);
  if (it == vars_.end()) fail(pos_, "unknown name `" + std::string(name) + "`");
  return it->second;
}

Value Evaluator::call(std::string_view name, const Value& arg) const {
  const auto it = vars_.find(name);
  if (it != vars_.end()) {
    if (it->second.kind == Value::Kind::CommaFilter) return format_as_comma(arg, pos_);
    fail(pos_, "`" + std::string(name) + "` is not a supported function");
  }
  if (name == "repr") return Value::str(to_repr(arg, pos_));
  if (name == "str") return Value::str(to_str(arg, pos_));
  fail(pos_, "unknown function `" + std::string(name) + "`");
}

}  // namespace alembic::mako::detail
