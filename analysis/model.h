// Plain values shared by every part of the analysis library.
// No JSON, no LSP: positions are byte offsets and 0-based line / byte column.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace alembic {

/// A span of source text. Start inclusive, end exclusive; columns count bytes.
struct SourceRange {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  uint32_t start_line = 0;
  uint32_t start_column = 0;
  uint32_t end_line = 0;
  uint32_t end_column = 0;

  bool contains(uint32_t byte) const { return start_byte <= byte && byte < end_byte; }
  bool operator==(const SourceRange&) const = default;
};

/// A string read from source: a literal, an implicit concatenation, or a module-level
/// name bound to a literal. `range` is where it is written (the literal or the name).
struct StringValue {
  std::string text;
  SourceRange range;
  bool operator==(const StringValue&) const = default;
};

/// An expression that is neither a string literal nor a resolvable name
/// (`cli.EXPAND_BRANCH`, a call, an f-string ...). Kept, never guessed.
struct UnresolvedValue {
  std::string expression;  ///< the source text of the expression
  SourceRange range;
  bool operator==(const UnresolvedValue&) const = default;
};

/// The right-hand side of one module-level assignment (`revision`, `down_revision`, ...).
struct AssignedValue {
  bool present = false;                     ///< the module assigns this name
  bool is_none = false;                     ///< `= None`
  bool is_sequence = false;                 ///< tuple or list (also `()`, `[]`, `"a", "b"`)
  std::vector<StringValue> strings;         ///< in source order
  std::vector<UnresolvedValue> unresolved;  ///< elements that are not strings
  SourceRange name_range;                   ///< the assigned name
  SourceRange value_range;                  ///< the whole right-hand side
  bool operator==(const AssignedValue&) const = default;
};

/// The module docstring's Alembic header. Cosmetic for Alembic, useful for humans.
struct DocstringHeader {
  bool present = false;
  SourceRange range;                       ///< the whole docstring literal
  std::string message;                     ///< first paragraph, lines joined by '\n', trimmed
  std::optional<StringValue> revision_id;  ///< `Revision ID: x`
  bool has_revises = false;                ///< a `Revises:` line exists
  std::vector<StringValue> revises;        ///< ids on the `Revises:` line (comma separated)
  std::optional<StringValue> create_date;  ///< `Create Date: ...`
  bool operator==(const DocstringHeader&) const = default;
};

/// A syntax error: tree-sitter's in a line read, a merge-conflict marker, or the first
/// tokenizer error Python would stop at (python_scan.h). The rest of the file is still read.
struct SyntaxProblem {
  SourceRange range;
  std::string message;
  bool operator==(const SyntaxProblem&) const = default;
};

/// What a migration file says about itself, read without executing it.
struct ParsedMigration {
  AssignedValue revision;
  AssignedValue down_revision;
  AssignedValue branch_labels;
  AssignedValue depends_on;
  DocstringHeader docstring;
  std::vector<SyntaxProblem> syntax_errors;
  /// Equal values give equal graphs and findings: an edit that changes none of them
  /// (typing inside upgrade()) needs no new analysis.
  bool operator==(const ParsedMigration&) const = default;
};

enum class Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

const char* severity_name(Severity s);  ///< "error", "warning", "info", "hint"

/// A place in a file.
struct Location {
  std::string path;
  SourceRange range;
  bool operator==(const Location&) const = default;
};

struct RelatedLocation {
  Location location;
  std::string message;
  bool operator==(const RelatedLocation&) const = default;
};

/// One problem found in an environment: stable code, severity, actionable message,
/// where it belongs and the revisions it involves.
struct Finding {
  std::string code;  ///< e.g. "multiple-heads", "missing-revision"
  Severity severity = Severity::Error;
  /// The first sentence: what is wrong here, under kMaxFirstSentence characters
  /// (analysis/findings.h), ending with a full stop.
  std::string message;
  /// The consequence and the fix, in sentences of their own (may be empty); full_message()
  /// joins the two.
  std::string detail;
  Location location;
  std::vector<std::string> revisions;  ///< sorted unless the code documents an order
  std::vector<RelatedLocation> related;
  std::optional<std::string> suggestion;  ///< "did you mean" replacement text, if any
  bool operator==(const Finding&) const = default;
};

}  // namespace alembic
