// A cheap single pass over Python source that finds the module-level statements a
// migration parser needs, so that tree-sitter only parses those (see parser.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alembic::scan {

/// One module-level logical line to give to tree-sitter: from its first byte (column 0,
/// or just after a UTF-8 BOM) to just after its newline. Points are 0-based line and
/// byte column, lines ending at '\n' only, as tree-sitter counts them.
struct Statement {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  uint32_t start_line = 0;
  uint32_t start_column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  /// For `NAME: T = value`, the annotation from ':' up to '=' (same point fields),
  /// which tree-sitter need not read: type expressions cost more to parse than
  /// everything else on the line, and the values do not depend on them. Empty
  /// (gap_start_byte == gap_end_byte) otherwise.
  uint32_t gap_start_byte = 0;
  uint32_t gap_end_byte = 0;
  uint32_t gap_start_line = 0;
  uint32_t gap_start_column = 0;
  uint32_t gap_end_line = 0;
  uint32_t gap_end_column = 0;
  /// Where the line opens its bracket number kMaxNesting + 1 (too_deep only). Python
  /// refuses such a line, and tree-sitter is given the line only up to that point:
  /// Debian's tree-sitter 0.20.7 frees memory twice after recovering from more than
  /// 65,535 unclosed brackets.
  bool too_deep = false;
  uint32_t deep_byte = 0;
  uint32_t deep_line = 0;
  uint32_t deep_column = 0;
};

/// Python's tokenizer refuses more nested brackets than this ("too many nested
/// parentheses").
inline constexpr int kMaxNesting = 200;

/// A module-level `NAME = <value>` (or `NAME: T = <value>`, `NAME += <value>`) whose
/// value can never be a string literal, or any such assignment inside a module-level
/// if / for / while / try / with block (it may or may not run); recorded without
/// parsing, because it ends what an earlier `NAME = "..."` meant for later uses of NAME.
struct Rebinding {
  uint32_t byte = 0;
  std::string_view name;  ///< points into the scanned source
};

/// An error Python's tokenizer stops at, in Python's words: an unterminated string, a
/// bracket never closed, closed by the wrong kind or not opened, or nested too deeply.
/// Points as in Statement; the range is the quote or bracket at fault.
struct TokenError {
  uint32_t byte = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t length = 1;
  std::string message;
};

struct ModuleScan {
  std::vector<Statement> statements;  ///< in source order, never overlapping
  std::vector<Rebinding> rebindings;  ///< in source order
  int max_depth = 0;                  ///< deepest bracket nesting anywhere outside strings
  /// The first such error anywhere in the file, selected lines or not. Left empty when
  /// the file has a carriage return not followed by a newline (Python ends lines there,
  /// the scanner does not, so its reading of strings could be wrong).
  std::optional<TokenError> token_error;
};

/// Scans `source` (any bytes). Understands strings (all quotes and prefixes, triple
/// quotes, escapes), comments, brackets and backslash continuations. A logical line is
/// selected when it may be: the docstring (a statement starting with a string, until
/// the first plain str statement or the first binding of an Alembic name), a binding of
/// revision / down_revision / branch_labels / depends_on, a `NAME = ...` whose value
/// may be a string (starts with a string or '('), or a line with ';' (several
/// statements). Everything else is skipped. The selection is a superset of what the
/// extraction reads from a full tree of an error-free file.
ModuleScan scan_module(std::string_view source);

/// One logical line at any indentation, as Python's tokenizer ends it (brackets, strings
/// and backslash continuations joined); blank and comment-only lines are none. Points as
/// in Statement.
struct LogicalLine {
  uint32_t start_byte = 0;  ///< the first byte of its first physical line (column 0)
  uint32_t end_byte = 0;    ///< just after its newline, or the end of the source
  uint32_t start_line = 0;
  uint32_t start_column = 0;  ///< 0, or 3 after a UTF-8 BOM
  uint32_t end_line = 0;
  uint32_t end_column = 0;
  uint32_t indent = 0;  ///< bytes of whitespace before its first token
  /// Its first three tokens (fewer on a short line): text and where each starts.
  struct Word {
    std::string_view text;
    uint32_t line = 0;
    uint32_t column = 0;
  };
  Word words[3];
};

/// The text between the quotes of a string literal (not an f- or t-string) of at least
/// kMinLongString bytes: points as in Statement.
struct StringInterior {
  uint32_t start_byte = 0, end_byte = 0;
  uint32_t start_line = 0, start_column = 0, end_line = 0, end_column = 0;
};
inline constexpr size_t kMinLongString = 64;

/// Every logical line of `source` (any bytes), in order. Linear; no tree. When
/// `long_strings` is given, the interiors of the long strings terminated in it go there,
/// in order.
std::vector<LogicalLine> logical_lines(std::string_view source,
                                       std::vector<StringInterior>* long_strings = nullptr);

/// revision, down_revision, branch_labels or depends_on.
bool is_alembic_name(std::string_view name);

}  // namespace alembic::scan
