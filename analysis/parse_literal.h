// Python string literals and source positions, without tree-sitter.
// Used by the migration parser (values, docstring) on the exact bytes of a literal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"

namespace alembic::literal {

/// Prefix letters of one literal, e.g. `rb` in `rb"..."`.
struct Prefix {
  bool raw = false;
  bool bytes = false;
  bool formatted = false;  ///< f-string or t-string: the value needs evaluation
  size_t length = 0;       ///< number of prefix characters
};

/// The value of hexadecimal digit `c` (either case), or -1.
int hex_value(char c);

/// True when `c` may appear in a string prefix (r, u, b, f, t in any case).
bool is_prefix_char(char c);

/// Reads the prefix of `literal` (which starts at the prefix or the quote).
Prefix read_prefix(std::string_view literal);

/// How to treat escapes that cannot be decoded (`\N{...}`, bad `\x`).
enum class Escapes {
  Strict,   ///< the literal has no value (it is reported as unresolved)
  Verbatim  ///< keep the escape's source text (docstrings are only displayed)
};

/// Decodes one str literal (prefix, quotes, body) to its value, as Python would:
/// escapes decoded unless raw, backslash-newline removed, CRLF and lone CR in the
/// body read as '\n' (Python reads source files with universal newlines).
/// Returns nothing for bytes, f/t-strings and malformed literals.
/// With `offsets`, fills offsets[i] = byte offset in `literal` where the source of
/// value byte i starts, plus one final entry for the closing quote.
std::optional<std::string> decode_str(std::string_view literal, Escapes escapes,
                                      std::vector<uint32_t>* offsets = nullptr);

/// Turns byte offsets of one text into line/column points, moving forward from a
/// known point. Lines end at '\n' only and columns count bytes, as in tree-sitter.
class PointCursor {
 public:
  PointCursor(std::string_view source, uint32_t byte, uint32_t line, uint32_t column)
      : source_(source), base_{byte, line, column}, at_(base_) {}

  /// Line and column of `byte`; cheap when calls move forward.
  void locate(uint32_t byte, uint32_t& line, uint32_t& column);
  /// The range of [start, end) with points.
  SourceRange range(uint32_t start, uint32_t end);

 private:
  struct Point {
    uint32_t byte, line, column;
  };
  std::string_view source_;
  Point base_;
  Point at_;
};

}  // namespace alembic::literal
