// The tokens of Python source for the flat reader of operations (operations_flat.h):
// Python's tokens, lines ending at '\n' and columns in bytes as tree-sitter counts them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace alembic::flat {

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

/// The tokens of `source`, a Newline token ending each logical line. Throws Decline on
/// f-strings, tabs or form feeds in indentation, a carriage return alone, a UTF-8 BOM,
/// unterminated strings and unbalanced brackets (Python refuses most; the tree-sitter
/// reader takes the rest).
std::vector<Token> tokenize(std::string_view source);

}  // namespace alembic::flat
