// Reading migration files with tree-sitter-python, never executing them.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "analysis/model.h"

namespace alembic {

/// Reads one migration source (any bytes; invalid UTF-8 and NULs are tolerated).
/// Cold path: a cheap scan that understands Python strings and comments finds the
/// module-level statements that matter (docstring, revision, down_revision,
/// branch_labels, depends_on, names bound to string literals) and only those are
/// given to tree-sitter. Gives the same answer as MigrationDocument on the same text.
ParsedMigration parse_migration(std::string_view source);

namespace detail {
/// parse_migration without its shortcut (parse_fast.h): every selected line read by
/// tree-sitter. For the tests that compare the two.
ParsedMigration parse_migration_tree_sitter(std::string_view source);
}  // namespace detail

/// An open editor document: full tree-sitter parse kept between edits, re-parsed
/// incrementally (ts_tree_edit) after each change.
class MigrationDocument {
 public:
  explicit MigrationDocument(std::string text);
  ~MigrationDocument();
  MigrationDocument(MigrationDocument&&) noexcept;
  MigrationDocument& operator=(MigrationDocument&&) noexcept;

  /// Replaces bytes [start_byte, old_end_byte) with `new_text` and re-parses
  /// incrementally. Offsets past the end are clamped.
  void edit(uint32_t start_byte, uint32_t old_end_byte, std::string_view new_text);
  /// Replaces the whole text (full re-parse).
  void set_text(std::string text);

  const std::string& text() const;
  const ParsedMigration& parsed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alembic
