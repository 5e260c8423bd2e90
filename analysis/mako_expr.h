// The Python expressions of a Mako template (`${...}` and the conditions of `% if` and
// `% elif`): parsing them into a small tree and evaluating it against the template's
// variables. Internal to analysis/mako.cpp; everything here reports an unsupported
// construct by throwing a Failure at a byte offset of the template.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/mako.h"

namespace alembic::mako::detail {

/// Why a template cannot be rendered, at byte `pos` of it (render() reports its line).
struct Failure {
  size_t pos;
  std::string what;
};

[[noreturn]] void fail(size_t pos, std::string what);

inline bool is_ident_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_ident_char(char c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

struct Expr {
  enum class Kind { Name, Literal, Call, Not, And, Or, Conditional };
  Kind kind = Kind::Literal;
  std::string name;  // Name; Call: the function's name
  Value literal;     // Literal
  std::vector<Expr>
      operands;  // Call: 1, Not: 1, And/Or: 2 or more, Conditional: body, test, orelse
};

/// `code`, found at byte `base` of the template, as one expression with nothing after it.
Expr parse_expression(std::string_view code, size_t base);

/// What follows the keyword of a control line: `test :` for `% if`/`% elif`
/// (`with_condition`, the test is returned), a lone `:` for `% else` (an empty Expr is
/// returned). Anything after the `:` fails.
Expr parse_clause(std::string_view code, size_t base, bool with_condition);

/// Python's truth value of `v`.
bool truthy(const Value& v);

/// Evaluates expressions and `${... | filter}` filters; failures are reported at `pos`.
class Evaluator {
 public:
  Evaluator(const Variables& vars, size_t pos) : vars_(vars), pos_(pos) {}

  Value eval(const Expr& e) const;
  /// The filters str and trim, or a variable holding a filter (Alembic's `comma`).
  Value filter(std::string_view name, const Value& v) const;

 private:
  Value lookup(std::string_view name) const;
  Value call(std::string_view name, const Value& arg) const;

  const Variables& vars_;
  size_t pos_;
};

}  // namespace alembic::mako::detail
