// The one place that turns tree-sitter statements into ParsedMigration values. Both
// the cold path (a tree of the selected lines only) and MigrationDocument (a full
// tree) feed it module-level statement nodes in source order.
#pragma once

#include <tree_sitter/api.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/model.h"

namespace alembic::extract {

/// Accumulates module-level statements, Python-style: later bindings replace earlier
/// ones. Rules:
/// - revision / down_revision / branch_labels / depends_on: the last module-level
///   assignment (plain, annotated, or one target of a chain `a = b = v`) wins.
/// - A name used in their values resolves to the string of the latest module-level
///   `NAME = <str literal>` before the use; any other module-level assignment to NAME in
///   between (`NAME = f()`, `NAME += "x"`) makes it unresolved. Only literals count:
///   `A = B` does not make A a string even if B is one.
/// - Docstring: the first statement that is only a plain str literal (no b/f/t prefix)
///   and comes before any statement binding one of the four Alembic names. Alembic's
///   own files always start with the docstring; some put an import (or a comment or
///   `from __future__ ...`) first, which Python would not call a docstring but whose
///   header is still the migration's. Statements of bytes or f-strings are skipped.
class Extractor {
 public:
  explicit Extractor(std::string_view source) : source_(source) {}

  /// One child of a module node, or an ERROR node that stands for statements.
  void statement(TSNode node);
  /// A module-level rebinding of `name` to something that is not a string literal,
  /// found by the scanner in a line it did not give to tree-sitter.
  void rebind(std::string_view name) { names_[name] = std::nullopt; }
  /// Records ERROR and MISSING nodes under `root` as syntax problems (iteratively:
  /// deeply nested input must not exhaust the stack).
  void collect_errors(TSNode root);

  ParsedMigration finish() && { return std::move(out_); }

  // The rules above on values read some other way (the fast reader, parse_fast.h).

  /// One quoted piece of a string literal or implicit concatenation: its source text,
  /// prefix and quotes included, and where it starts.
  struct Part {
    std::string_view text;
    uint32_t start_byte = 0;
  };
  /// The value of a str literal made of `parts` (Strict escapes), or nothing.
  static std::optional<std::string> literal_value(const std::vector<Part>& parts);
  /// A statement that is only a plain str literal covering `range`: the docstring
  /// when none has been found yet and no Alembic name has been bound.
  void docstring_literal(const std::vector<Part>& parts, const SourceRange& range);
  /// A module-level assignment of Alembic name `name` (last one wins).
  void assign(std::string_view name, AssignedValue value) {
    slot(name) = std::move(value);
    docstring_open_ = false;
  }
  /// NAME is now bound to `value` (a string literal's value, or nothing).
  void bind(std::string_view name, std::optional<std::string> value) {
    names_[name] = std::move(value);
  }
  /// NAME's string when its latest binding is a string literal.
  const std::string* bound_string(std::string_view name) const {
    auto it = names_.find(name);
    return it != names_.end() && it->second ? &*it->second : nullptr;
  }
  bool docstring_open() const { return docstring_open_; }

 private:
  void docstring(TSNode expr);
  void assignment(TSNode node);
  void augmented(TSNode node);
  void salvage(TSNode error);
  AssignedValue& slot(std::string_view name);
  AssignedValue read_value(TSNode target, TSNode value) const;
  void element(TSNode node, AssignedValue& v) const;
  std::optional<std::string> literal(TSNode node) const;
  SourceRange range(TSNode node) const;
  std::string_view text(TSNode node) const;
  std::vector<Part> parts_of(TSNode string_expr) const;

  std::string_view source_;
  ParsedMigration out_;
  bool docstring_open_ = true;
  // NAME -> its string, or nothing when its latest binding is not a string literal.
  std::unordered_map<std::string_view, std::optional<std::string>> names_;
};

}  // namespace alembic::extract
