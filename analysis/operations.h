// What a migration does to the schema: the `op.*` calls of its upgrade() and downgrade(),
// read with tree-sitter without running anything. Read lazily (hover, lint, branch
// conflicts), never by the graph analysis. A name built at run time is kept as Unknown
// with its source text, never guessed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"

namespace alembic {

enum class OpKind : uint8_t {
  CreateTable,
  DropTable,
  RenameTable,
  AddColumn,
  DropColumn,
  AlterColumn,
  CreateIndex,
  DropIndex,
  CreateConstraint,  ///< create_unique_constraint, create_foreign_key, create_check_constraint...
  DropConstraint,
  Execute,
  BulkInsert,
  Other,  ///< any other op.X(...) statement (create_table_comment, ...)
};

/// A name or value read from a call's argument.
struct OpValue {
  enum class State : uint8_t {
    Absent,   ///< not given
    Literal,  ///< a string literal (or op.f("..."), sa.text("...")): `text` is its value
    None,     ///< `None`
    Unknown,  ///< any other expression: `text` is its source
  };
  State state = State::Absent;
  std::string text;
  SourceRange range;
  bool literal() const { return state == State::Literal; }
  bool operator==(const OpValue&) const = default;
};

/// A keyword option that is a boolean (or, for server_default, given vs None).
enum class Flag : uint8_t { Absent, True, False, Unknown };

struct Operation {
  OpKind kind = OpKind::Other;
  std::string function;  ///< the method called: "add_column"
  OpValue table;         ///< the table (for a batch_op call, the batch's table)
  OpValue column;        ///< add/drop/alter column: the column's name
  OpValue new_name;      ///< rename_table's new name, alter_column's new_column_name
  OpValue name;          ///< the index's or constraint's name
  OpValue referent;      ///< create_foreign_key: the referenced table
  OpValue type;          ///< add_column: the Column's type; alter_column: type_ (source text)
  OpValue sql;           ///< execute: the SQL when it is a literal
  std::vector<OpValue> columns;        ///< create_table's Column names; an index's columns
  Flag nullable = Flag::Absent;        ///< nullable= (add_column: of the Column; primary_key=True
                                       ///< counts as False)
  Flag server_default = Flag::Absent;  ///< True: given and not None
  Flag unique = Flag::Absent;
  Flag concurrently = Flag::Absent;  ///< postgresql_concurrently=
  bool batch = false;                ///< inside `with op.batch_alter_table(...)`
  bool in_autocommit_block = false;  ///< inside `with op.get_context().autocommit_block()`
  bool conditional = false;          ///< inside if / for / while / try: may not run
  std::string helper;                ///< read from this module-level helper function
  SourceRange range;                 ///< the call
  bool operator==(const Operation&) const = default;
};

/// What the body of upgrade() or downgrade() is, apart from its operations.
enum class BodyKind : uint8_t {
  Missing,     ///< no such function
  Empty,       ///< only a docstring, `pass` or `...`
  Raises,      ///< its first statement raises
  Statements,  ///< anything else
};

/// Statements of a body (or of a helper it calls) that were not read: a file over
/// ts::kMaxFullTree is read in parts (operations_parts.h), and a statement no part can
/// hold is left out. Its operations are unknown, never guessed.
struct UnreadPart {
  SourceRange range;   ///< the statements left out
  std::string reason;  ///< "one logical line of 40 KiB, over the 32 KiB tree-sitter ..."
  bool operator==(const UnreadPart&) const = default;
};

struct FunctionOperations {
  /// Statements whenever a statement before the first one read was not read.
  BodyKind body = BodyKind::Missing;
  SourceRange name_range;  ///< the function's name in `def NAME`
  std::vector<Operation> operations;
  std::vector<UnreadPart> unread;  ///< empty but for rare statements over 32 KiB
  bool complete() const { return unread.empty(); }
  bool operator==(const FunctionOperations&) const = default;
};

struct MigrationOperations {
  FunctionOperations upgrade;
  FunctionOperations downgrade;
  bool operator==(const MigrationOperations&) const = default;
};

/// Reads the operations of a migration source (any bytes; never throws): with
/// read_operations_flat (operations_flat.h) when the bodies are straight lines of op
/// calls, at any size; else with tree-sitter (read_operations_tree).
MigrationOperations read_operations(std::string_view source);

/// The tree-sitter reader alone: any Python, any size. A file up to ts::kMaxFullTree is
/// parsed whole; a larger one in parts of at most that many bytes (operations_parts.h).
MigrationOperations read_operations_tree(std::string_view source);

namespace detail {
/// read_operations_tree with the parts' size given: `part_limit` 0 parses the file whole
/// at any size, else it is read in parts of at most `part_limit` bytes (the tests compare
/// the two on small files with a small limit).
MigrationOperations read_operations_tree(std::string_view source, size_t part_limit);
}  // namespace detail

/// True for the kinds that change the schema (everything but Execute, BulkInsert, Other).
bool changes_schema(OpKind kind);

/// One operation in words: "adds column orders.discount NOT NULL", "creates unique index
/// ix_orders_discount on orders". Unknown names show as their source text in `<...>`.
std::string describe(const Operation& op);

/// describe() of each operation, joined with "; " (at most `limit` of them, then
/// "and N more").
std::string describe_all(const std::vector<Operation>& ops, size_t limit = 12);

/// "line 12" or "lines 12-40" (1-based) for a range of whole lines.
std::string lines_of(const SourceRange& range);

/// "not read: lines 12-40 (one logical line of 40 KiB, over ...)", each part joined with
/// "; " (at most `limit` of them, then "and N more"); "" when nothing was left unread.
std::string describe_unread(const std::vector<UnreadPart>& unread, size_t limit = 3);

/// One line naming every field read, the same format tests/unit/operations_ast.py prints
/// from Python's own `ast` (the property test compares the two).
std::string canonical_line(std::string_view function, const Operation& op);

}  // namespace alembic
