// The one table of finding codes: for every code its name, default severity, short title,
// help text, rule page, which settings may change it, and which quick-fix planner offers
// fixes for it. Settings validation, the SARIF rules, quick-fix dispatch, the rule pages
// under docs/rules/ and the README's findings table all read (or are checked against) it.
//
// Adding a code: one entry here (and one enumerator in Code, same position), its detector
// and its tests; a missing entry fails the static_asserts below, a missing planner the one
// in server/features/quick_fixes.cpp, a missing rule page or README row the unit test
// tests/unit/analysis_finding_rules_test.cpp.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/model.h"

namespace alembic {

/// Every finding code, in the table's order.
enum class Code : uint8_t {
  MultipleHeads,
  MissingRevision,
  DuplicateRevision,
  RevisionCycle,
  UnexpectedBase,
  BranchLabelConflict,
  InvalidRevisionId,
  UnresolvedValue,
  HeaderMismatch,
  SyntaxError,
  NotAMigration,
  MissingDownRevision,
  EmptyDownRevision,
  UnreadMigrations,
  IoError,
  ConfigError,
  ConfigWarning,
  HeadFileMismatch,
  NotNullWithoutDefault,
  IndexNotConcurrent,
  ConcurrentlyInTransaction,
  ColumnTypeChange,
  RenameTableOrColumn,
  DropTableOrColumn,
  IrreversibleDowngrade,
  DowngradeNotInverse,
  BranchConflict,
  Count,
};
inline constexpr size_t kCodeCount = static_cast<size_t>(Code::Count);

/// The [tool.alembic-lsp] settings that may change a code's findings (a bit set).
enum SettingBits : uint8_t {
  kSetIgnore = 1,              ///< `ignore = ["code"]`
  kSetSeverity = 2,            ///< `severity = { code = "..." }`
  kSetExpectedHeads = 4,       ///< `expected-heads`
  kSetAllowMultipleHeads = 8,  ///< `allow-multiple-heads`
};

/// Which quick-fix planner offers fixes for a code's diagnostics (the server dispatches on
/// it; analysis/quick_fix_plan.h, rename_plan.h and rebase_plan.h hold the edits).
enum class QuickFix : uint8_t {
  None,
  PointAtExistingRevision,   ///< missing-revision: the suggestion, a head, or drop it
  ReattachBase,              ///< unexpected-base: make it a merge, or set a head as parent
  ReplaceEmptyDownRevision,  ///< empty-down-revision: a head, or None
  NewRevisionId,             ///< duplicate-revision: its own id (and file name)
  RewriteHeader,             ///< header-mismatch: the docstring from the code
  RenameRevision,            ///< invalid-revision-id: a valid id everywhere it is named
  AddDownRevision,           ///< missing-down-revision: fix the typo or add it
  RemoveBranchLabel,         ///< branch-label-conflict
  BreakCycle,                ///< revision-cycle: set a head as parent
  ResolveConflictMarkers,    ///< syntax-error on a merge-conflict marker
  MoveOutOfVersions,         ///< not-a-migration: move the helper module
  RebaseOntoHead,            ///< multiple-heads: rebase one branch onto another head
  AddServerDefault,          ///< not-null-without-default: a server_default by the type
  ConcurrentIndex,           ///< index-not-concurrent, concurrently-in-transaction
  RewriteHeadFile,           ///< head-file-mismatch: rewrite it, merge or rebase the heads
  Count,
};
inline constexpr size_t kQuickFixCount = static_cast<size_t>(QuickFix::Count);

struct FindingRule {
  Code id;
  std::string_view code;       ///< the stable name editors and CI configurations match on
  Severity default_severity;   ///< what the detector reports before the settings apply
  std::string_view title;      ///< one sentence
  std::string_view full;       ///< what it means and why Alembic cares
  std::string_view fix;        ///< how to fix it (plain text)
  std::string_view rule_page;  ///< the page under docs/rules/, relative to the repository
  uint8_t settings;            ///< SettingBits that may change it
  QuickFix quick_fix;          ///< who offers fixes
  bool about_checkout;         ///< about the present checkout, not the history (never
                               ///< filtered by `check --base`)
};

/// The table, indexed by Code.
inline constexpr std::array<FindingRule, kCodeCount> kFindingRules = {
    FindingRule{Code::MultipleHeads, "multiple-heads", Severity::Error,
                "The migration history has more than one head.",
                "More than one revision is a head (no other revision names it in down_revision). "
                "`alembic upgrade head` then stops with \"Multiple head revisions are present\", "
                "and `alembic revision` refuses to create a new migration. This usually happens "
                "when two branches of the code each add a migration on the same parent. Heads that "
                "each carry their own branch label are reported as information only (an intended "
                "multi-branch layout), and [tool.alembic-lsp] expected-heads / "
                "allow-multiple-heads tell the tool how many heads are intended.",
                "Merge the heads with `alembic merge -m \"merge heads\" heads` (or `alembic-lsp "
                "merge`, or the editor's 'Merge heads' code action), or re-parent one migration "
                "onto the other head if it has not been applied anywhere yet. If several heads are "
                "intended, set expected-heads in [tool.alembic-lsp].",
                "docs/rules/multiple-heads.md",
                kSetIgnore | kSetSeverity | kSetExpectedHeads | kSetAllowMultipleHeads,
                QuickFix::RebaseOntoHead, false},
    FindingRule{Code::MissingRevision, "missing-revision", Severity::Error,
                "A down_revision or depends_on names a revision that does not exist.",
                "A revision id named in down_revision (or a revision id or branch label named in "
                "depends_on) is not defined by any migration of the environment. Alembic warns "
                "\"Revision X referenced from ... is not present\" and every command then fails "
                "with KeyError. Common causes: the file name written instead of the revision id, a "
                "partial id, a branch label in down_revision, or a parent migration deleted or not "
                "committed.",
                "Write the full revision id of the parent (the message suggests one when it finds "
                "a likely match), or restore the missing migration.",
                "docs/rules/missing-revision.md", kSetIgnore | kSetSeverity,
                QuickFix::PointAtExistingRevision, false},
    FindingRule{Code::DuplicateRevision, "duplicate-revision", Severity::Error,
                "Two migration files declare the same revision id.",
                "Several files assign the same `revision`. Alembic warns \"Revision X is present "
                "more than once\", keeps only the last file it loads in its revision map, yet "
                "lists every copy in `alembic heads`; later commands fail with \"Requested "
                "revision X overlaps with other requested revisions\". Usually a copied migration "
                "file.",
                "Give each migration its own revision id (and fix the down_revision of migrations "
                "that meant the copy).",
                "docs/rules/duplicate-revision.md", kSetIgnore | kSetSeverity,
                QuickFix::NewRevisionId, false},
    FindingRule{Code::RevisionCycle, "revision-cycle", Severity::Error,
                "Revisions form a cycle through down_revision or depends_on.",
                "Following down_revision (or depends_on) from a revision leads back to it, or a "
                "revision names itself. Alembic refuses to load the history with \"Cycle is "
                "detected in revisions\", \"Dependency cycle is detected\" or \"Self-loop is "
                "detected\".",
                "Break the cycle: each down_revision must name an older migration.",
                "docs/rules/revision-cycle.md", kSetIgnore | kSetSeverity, QuickFix::BreakCycle,
                false},
    FindingRule{Code::UnexpectedBase, "unexpected-base", Severity::Error,
                "A revision without down_revision starts a separate history.",
                "A revision has no down_revision and no branch label while another base exists, so "
                "it starts a second, unlabelled history and adds a head. Typical causes: a merge "
                "made with its parents in depends_on instead of down_revision, or a down_revision "
                "lost in a conflict resolution.",
                "Set down_revision to the parent's id (a tuple of ids for a merge). If the history "
                "is meant to be independent, give its base a branch label.",
                "docs/rules/unexpected-base.md", kSetIgnore | kSetSeverity, QuickFix::ReattachBase,
                false},
    FindingRule{Code::BranchLabelConflict, "branch-label-conflict", Severity::Error,
                "A branch label is declared twice or equals a revision id.",
                "Two revisions declare the same branch label, or a label equals a revision id. "
                "Alembic refuses to load the history: \"Branch name 'L' in revision B already used "
                "by revision A\".",
                "Rename one of the labels; labels must be unique and differ from every revision "
                "id.",
                "docs/rules/branch-label-conflict.md", kSetIgnore | kSetSeverity,
                QuickFix::RemoveBranchLabel, false},
    FindingRule{Code::InvalidRevisionId, "invalid-revision-id", Severity::Error,
                "The revision id is not a usable string.",
                "`revision` is None, a tuple, an empty string, an expression that is not a string "
                "literal, or contains a character Alembic rejects (@ - + and, since Alembic "
                "1.17.1, :). Alembic fails to load the file, or its id cannot be known without "
                "running code.",
                "Write the revision id as a plain string literal without @ - + :.",
                "docs/rules/invalid-revision-id.md", kSetIgnore | kSetSeverity,
                QuickFix::RenameRevision, false},
    FindingRule{Code::UnresolvedValue, "unresolved-value", Severity::Warning,
                "A value is not a string literal and cannot be read statically.",
                "An element of down_revision, depends_on or branch_labels is an expression (a name "
                "from another module, a call, an f-string). alembic-lsp never runs code, so the "
                "revisions it names are unknown and the graph around this file may be incomplete.",
                "Write the value as a string literal (or a module-level name bound to one), or "
                "ignore this code in [tool.alembic-lsp] if the indirection is intended.",
                "docs/rules/unresolved-value.md", kSetIgnore | kSetSeverity, QuickFix::None, false},
    FindingRule{Code::HeaderMismatch, "header-mismatch", Severity::Warning,
                "The docstring header disagrees with the code.",
                "The docstring's `Revision ID:` or `Revises:` line names other revisions than the "
                "`revision` / `down_revision` variables. Alembic only reads the variables, so the "
                "header misleads readers and reviewers (often a stale `Revises:` after a rebase).",
                "Update the docstring header to match the variables.",
                "docs/rules/header-mismatch.md", kSetIgnore | kSetSeverity, QuickFix::RewriteHeader,
                false},
    FindingRule{Code::SyntaxError, "syntax-error", Severity::Warning,
                "The migration file has a Python syntax error.",
                "The file does not parse as Python. Alembic imports every migration, so every "
                "Alembic command would fail on this file.",
                "Fix the syntax error.", "docs/rules/syntax-error.md", kSetIgnore | kSetSeverity,
                QuickFix::ResolveConflictMarkers, false},
    FindingRule{Code::NotAMigration, "not-a-migration", Severity::Error,
                "A file in a version directory is not a migration.",
                "A .py file in a version location has no module-level `revision` (and its name is "
                "not a hex revision id), or has neither `revision` nor `down_revision`. Alembic "
                "loads every .py file there and stops with \"Could not determine revision id from "
                "filename\" or an AttributeError.",
                "Move the file out of the versions directory, or declare `revision` and "
                "`down_revision`.",
                "docs/rules/not-a-migration.md", kSetIgnore | kSetSeverity,
                QuickFix::MoveOutOfVersions, false},
    FindingRule{Code::MissingDownRevision, "missing-down-revision", Severity::Error,
                "The migration assigns revision but not down_revision.",
                "Alembic reads `down_revision` from every migration module and fails with "
                "AttributeError: module has no attribute 'down_revision'.",
                "Write `down_revision = None` for a base, or the parent's revision id.",
                "docs/rules/missing-down-revision.md", kSetIgnore | kSetSeverity,
                QuickFix::AddDownRevision, false},
    FindingRule{Code::EmptyDownRevision, "empty-down-revision", Severity::Warning,
                "down_revision is an empty string.",
                "Alembic before 1.12.1 reads `down_revision = \"\"` as a base; later versions look "
                "up the id '' and fail with KeyError: ''.",
                "Write `down_revision = None`.", "docs/rules/empty-down-revision.md",
                kSetIgnore | kSetSeverity, QuickFix::ReplaceEmptyDownRevision, false},
    FindingRule{Code::UnreadMigrations, "unread-migrations", Severity::Information,
                "Migrations below a version location are not read.",
                "A folder nested below a version location (or inside the script location but in "
                "no version location) holds migration files, but the environment does not read "
                "version locations recursively, so Alembic does not load them either (OpenStack "
                "projects keep versions/<release>/{expand,contract}/ and set the version "
                "locations in Python). Revisions there are left out of the analysis.",
                "Set `recursive_version_locations = true` in alembic.ini, or list the folders "
                "under `version-locations` in [tool.alembic-lsp] when the project sets them in "
                "Python.",
                "docs/rules/unread-migrations.md", kSetIgnore | kSetSeverity, QuickFix::None,
                false},
    FindingRule{Code::IoError, "io-error", Severity::Warning,
                "A migration file or directory could not be read.",
                "A version location or migration file could not be listed or read (permissions, a "
                "dangling symbolic link, a directory loop, a file loaded twice through two version "
                "locations). Its revisions are missing from the analysis.",
                "Fix the file system problem named in the message.", "docs/rules/io-error.md",
                kSetIgnore | kSetSeverity, QuickFix::None, true},
    FindingRule{Code::ConfigError, "config-error", Severity::Error,
                "The Alembic configuration is invalid or unusable.",
                "alembic.ini or the [tool.alembic] table of pyproject.toml has a value Alembic "
                "would reject or misread (bad TOML, a missing script_location, a wrong type).",
                "Fix the configuration value named in the message.", "docs/rules/config-error.md",
                kSetIgnore | kSetSeverity, QuickFix::None, true},
    FindingRule{Code::ConfigWarning, "config-warning", Severity::Warning,
                "The [tool.alembic-lsp] settings have a problem.",
                "The [tool.alembic-lsp] table of pyproject.toml has an unknown key, a value of the "
                "wrong type, an unknown finding code, or names an environment that does not exist. "
                "The setting is ignored.",
                "Use the keys expected-heads, allow-multiple-heads, ignore and severity, with the "
                "types the message names.",
                "docs/rules/config-warning.md", kSetIgnore | kSetSeverity, QuickFix::None, true},
    FindingRule{Code::HeadFileMismatch, "head-file-mismatch", Severity::Error,
                "The head file disagrees with the migration history.",
                "[tool.alembic-lsp] head-file names a small committed file that records the id "
                "of each environment's head. Every new migration changes that line, so two "
                "branches that each add a migration both change it and git reports a conflict "
                "when they meet, before anything is deployed. The file is reported when it is "
                "missing, names a revision that does not exist or is not the head, when the "
                "history has several heads, and when it holds git conflict markers: two branches "
                "each added a migration on the same head, and the history now forks.",
                "Rewrite the file from the history (the quick fix does). On a conflict, merge "
                "the heads (`alembic-lsp merge` or the 'Merge heads' code action) or rebase one "
                "branch onto the other head (the 'Rebase this branch' code action, only if it "
                "was never applied to a database); both rewrite the file without the markers.",
                "docs/rules/head-file-mismatch.md", kSetIgnore | kSetSeverity,
                QuickFix::RewriteHeadFile, true},

    // Operations (analysis/operation_findings.h, branch_conflicts.h): read from upgrade()
    // and downgrade() only when asked (check --lint, --base; the editor's open files).
    FindingRule{Code::NotNullWithoutDefault, "not-null-without-default", Severity::Warning,
                "A NOT NULL column is added without a server_default.",
                "`op.add_column` adds a column with `nullable=False` (or `primary_key=True`) "
                "and no `server_default` to a table the migration did not create. On a table "
                "that already has rows the database refuses the statement: PostgreSQL with "
                "\"column ... contains null values\", SQLite with \"Cannot add a NOT NULL "
                "column with default value NULL\", so the deployment stops half way.",
                "Give the Column a `server_default` (a literal or `sa.text(...)`), or add it "
                "nullable, fill it with an UPDATE, then `alter_column(..., nullable=False)`.",
                "docs/rules/not-null-without-default.md", kSetIgnore | kSetSeverity,
                QuickFix::AddServerDefault, false},
    FindingRule{Code::IndexNotConcurrent, "index-not-concurrent", Severity::Warning,
                "An index is created on PostgreSQL without postgresql_concurrently=True.",
                "On PostgreSQL (the dialect of a literal `sqlalchemy.url` in alembic.ini, or the "
                "`dialect` setting), `op.create_index` on a table the migration did not create "
                "runs CREATE INDEX, which blocks every INSERT, UPDATE and DELETE on the table "
                "until the index is built: minutes on a large table, during which the "
                "application waits.",
                "Pass `postgresql_concurrently=True` and make the call inside `with "
                "op.get_context().autocommit_block():` (CREATE INDEX CONCURRENTLY cannot run in "
                "a transaction). On a small table, ignore the finding for this code.",
                "docs/rules/index-not-concurrent.md", kSetIgnore | kSetSeverity,
                QuickFix::ConcurrentIndex, false},
    FindingRule{Code::ConcurrentlyInTransaction, "concurrently-in-transaction", Severity::Error,
                "postgresql_concurrently=True is used outside an autocommit_block.",
                "`op.create_index` or `op.drop_index` passes `postgresql_concurrently=True` but "
                "is not inside `with op.get_context().autocommit_block():`. Alembic runs each "
                "migration in a transaction on PostgreSQL, and PostgreSQL refuses: \"CREATE "
                "INDEX CONCURRENTLY cannot run inside a transaction block\". Not reported when "
                "the dialect is known to be another database (the option is then ignored).",
                "Move the call inside `with op.get_context().autocommit_block():`.",
                "docs/rules/concurrently-in-transaction.md", kSetIgnore | kSetSeverity,
                QuickFix::ConcurrentIndex, false},
    FindingRule{Code::ColumnTypeChange, "column-type-change", Severity::Warning,
                "A column's type is changed.",
                "`op.alter_column(..., type_=...)` on a table the migration did not create. Most "
                "databases rewrite the whole table to change a type (PostgreSQL under an ACCESS "
                "EXCLUSIVE lock, SQLite's batch mode by copying it), and code deployed before "
                "the migration may write values the new type refuses.",
                "Prefer adding a column of the new type, filling it, switching the code to it "
                "and dropping the old one later; or ignore the finding for a small table or a "
                "type change the database does in place.",
                "docs/rules/column-type-change.md", kSetIgnore | kSetSeverity, QuickFix::None,
                false},
    FindingRule{Code::RenameTableOrColumn, "rename-table-or-column", Severity::Information,
                "A table or column is renamed.",
                "upgrade() calls `op.rename_table` or `op.alter_column(..., new_column_name=...)`. "
                "The application code running while the migration is applied still uses the "
                "old name and fails until the new code is deployed.",
                "Rename in steps: add the new name (a column written by both versions of the "
                "code, or a view for a table), switch the code, then drop the old name.",
                "docs/rules/rename-table-or-column.md", kSetIgnore | kSetSeverity, QuickFix::None,
                false},
    FindingRule{Code::DropTableOrColumn, "drop-table-or-column", Severity::Information,
                "A table or column is dropped.",
                "upgrade() calls `op.drop_table` or `op.drop_column`. The data is lost: "
                "downgrade() can re-create the table or column, not its contents, and code "
                "still running that uses it fails.",
                "Make sure nothing reads it any more and that its data is not needed (or is "
                "backed up); then ignore the finding for this migration.",
                "docs/rules/drop-table-or-column.md", kSetIgnore | kSetSeverity, QuickFix::None,
                false},
    FindingRule{Code::IrreversibleDowngrade, "irreversible-downgrade", Severity::Warning,
                "downgrade() is empty, missing or raises while upgrade() changes the schema.",
                "upgrade() creates, alters or drops tables, columns, indexes or constraints, "
                "but downgrade() only passes (or is missing, or raises). `alembic downgrade` "
                "then marks the revision as undone while the schema keeps the changes, and the "
                "next upgrade fails. A downgrade() that raises is reported as information: an "
                "irreversible migration said out loud.",
                "Write the inverse operations in downgrade() (autogenerate writes them), or "
                "raise with a message saying why the migration cannot be undone.",
                "docs/rules/irreversible-downgrade.md", kSetIgnore | kSetSeverity, QuickFix::None,
                false},
    FindingRule{Code::DowngradeNotInverse, "downgrade-not-inverse", Severity::Warning,
                "downgrade() does not undo an operation of upgrade().",
                "upgrade() adds a column, creates a table, index or constraint, or renames or "
                "drops one, and downgrade() never does the inverse (drops that column, drops "
                "that table, ...). Only reported when every name is a literal and downgrade() "
                "holds no SQL or conditional steps that could do it.",
                "Add the inverse operation to downgrade().", "docs/rules/downgrade-not-inverse.md",
                kSetIgnore | kSetSeverity, QuickFix::None, false},
    FindingRule{Code::BranchConflict, "branch-conflict", Severity::Warning,
                "Two heads both change the same table.",
                "The history has several heads, and migrations on two of the branches since "
                "their common ancestor change the same table (the same column, when both name "
                "it). Merging the heads then runs both changes in an order neither author "
                "tested: a column added twice, an index dropped before it is created, a rename "
                "under another's alter.",
                "Read both migrations (the related locations) before merging; if they conflict, "
                "rebase one branch onto the other head instead of merging.",
                "docs/rules/branch-conflict.md", kSetIgnore | kSetSeverity, QuickFix::None, false},
};

namespace detail {
constexpr bool rules_in_code_order() {
  for (size_t i = 0; i < kFindingRules.size(); ++i)
    if (static_cast<size_t>(kFindingRules[i].id) != i || kFindingRules[i].code.empty() ||
        kFindingRules[i].title.empty() || kFindingRules[i].full.empty() ||
        kFindingRules[i].fix.empty() || kFindingRules[i].rule_page.empty())
      return false;
  return true;
}
}  // namespace detail
static_assert(detail::rules_in_code_order(),
              "kFindingRules needs one complete entry per Code, in the enum's order");

/// The rule of a code.
constexpr const FindingRule& rule_of(Code code) {
  return kFindingRules[static_cast<size_t>(code)];
}

/// The rule named `code`, or nullptr for a name no finding has.
const FindingRule* find_rule(std::string_view code);

/// The rule's page (docs/rules/CODE.md) in Markdown, written from the table: the pages in
/// the repository are this text (tests/unit/analysis_finding_rules_test.cpp), and
/// `check --explain CODE` prints it.
std::string rule_page_markdown(const FindingRule& rule);

}  // namespace alembic
