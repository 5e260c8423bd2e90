// What each finding code means and how to fix it: the rules of the SARIF report and the
// help a CI reviewer reads next to an annotation.
#include <algorithm>

#include "server/cli/report_formats.h"

namespace alembic::cli {

const std::vector<RuleHelp>& rule_help() {
  static const std::vector<RuleHelp> rules = {
      {"multiple-heads", "The migration history has more than one head.",
       "More than one revision is a head (no other revision names it in down_revision). "
       "`alembic upgrade head` then stops with \"Multiple head revisions are present\", and "
       "`alembic revision` refuses to create a new migration. This usually happens when two "
       "branches of the code each add a migration on the same parent. Heads that each carry "
       "their own branch label are reported as information only (an intended multi-branch "
       "layout), and [tool.alembic-lsp] expected-heads / allow-multiple-heads tell the tool "
       "how many heads are intended.",
       "Merge the heads with `alembic merge -m \"merge heads\" heads` (or `alembic-lsp merge`, "
       "or the editor's 'Merge heads' code action), or re-parent one migration onto the other "
       "head if it has not been applied anywhere yet. If several heads are intended, set "
       "expected-heads in [tool.alembic-lsp].",
       Severity::Error},
      {"missing-revision", "A down_revision or depends_on names a revision that does not exist.",
       "A revision id named in down_revision (or a revision id or branch label named in "
       "depends_on) is not defined by any migration of the environment. Alembic warns "
       "\"Revision X referenced from ... is not present\" and every command then fails with "
       "KeyError. Common causes: the file name written instead of the revision id, a partial "
       "id, a branch label in down_revision, or a parent migration deleted or not committed.",
       "Write the full revision id of the parent (the message suggests one when it finds a "
       "likely match), or restore the missing migration.",
       Severity::Error},
      {"duplicate-revision", "Two migration files declare the same revision id.",
       "Several files assign the same `revision`. Alembic warns \"Revision X is present more "
       "than once\", keeps only the last file it loads in its revision map, yet lists every "
       "copy in `alembic heads`; later commands fail with \"Requested revision X overlaps "
       "with other requested revisions\". Usually a copied migration file.",
       "Give each migration its own revision id (and fix the down_revision of migrations "
       "that meant the copy).",
       Severity::Error},
      {"revision-cycle", "Revisions form a cycle through down_revision or depends_on.",
       "Following down_revision (or depends_on) from a revision leads back to it, or a "
       "revision names itself. Alembic refuses to load the history with \"Cycle is detected "
       "in revisions\", \"Dependency cycle is detected\" or \"Self-loop is detected\".",
       "Break the cycle: each down_revision must name an older migration.", Severity::Error},
      {"unexpected-base", "A revision without down_revision starts a separate history.",
       "A revision has no down_revision and no branch label while another base exists, so it "
       "starts a second, unlabelled history and adds a head. Typical causes: a merge made "
       "with its parents in depends_on instead of down_revision, or a down_revision lost in "
       "a conflict resolution.",
       "Set down_revision to the parent's id (a tuple of ids for a merge). If the history is "
       "meant to be independent, give its base a branch label.",
       Severity::Error},
      {"branch-label-conflict", "A branch label is declared twice or equals a revision id.",
       "Two revisions declare the same branch label, or a label equals a revision id. "
       "Alembic refuses to load the history: \"Branch name 'L' in revision B already used by "
       "revision A\".",
       "Rename one of the labels; labels must be unique and differ from every revision id.",
       Severity::Error},
      {"invalid-revision-id", "The revision id is not a usable string.",
       "`revision` is None, a tuple, an empty string, an expression that is not a string "
       "literal, or contains a character Alembic rejects (@ - + and, since Alembic 1.17.1, "
       ":). Alembic fails to load the file, or its id cannot be known without running code.",
       "Write the revision id as a plain string literal without @ - + :.", Severity::Error},
      {"unresolved-value", "A value is not a string literal and cannot be read statically.",
       "An element of down_revision, depends_on or branch_labels is an expression (a name "
       "from another module, a call, an f-string). alembic-lsp never runs code, so the "
       "revisions it names are unknown and the graph around this file may be incomplete.",
       "Write the value as a string literal (or a module-level name bound to one), or ignore "
       "this code in [tool.alembic-lsp] if the indirection is intended.",
       Severity::Warning},
      {"header-mismatch", "The docstring header disagrees with the code.",
       "The docstring's `Revision ID:` or `Revises:` line names other revisions than the "
       "`revision` / `down_revision` variables. Alembic only reads the variables, so the "
       "header misleads readers and reviewers (often a stale `Revises:` after a rebase).",
       "Update the docstring header to match the variables.", Severity::Warning},
      {"syntax-error", "The migration file has a Python syntax error.",
       "The file does not parse as Python. Alembic imports every migration, so every Alembic "
       "command would fail on this file.",
       "Fix the syntax error.", Severity::Warning},
      {"not-a-migration", "A file in a version directory is not a migration.",
       "A .py file in a version location has no module-level `revision` (and its name is not "
       "a hex revision id), or has neither `revision` nor `down_revision`. Alembic loads "
       "every .py file there and stops with \"Could not determine revision id from filename\" "
       "or an AttributeError.",
       "Move the file out of the versions directory, or declare `revision` and "
       "`down_revision`.",
       Severity::Error},
      {"missing-down-revision", "The migration assigns revision but not down_revision.",
       "Alembic reads `down_revision` from every migration module and fails with "
       "AttributeError: module has no attribute 'down_revision'.",
       "Write `down_revision = None` for a base, or the parent's revision id.", Severity::Error},
      {"empty-down-revision", "down_revision is an empty string.",
       "Alembic before 1.12.1 reads `down_revision = \"\"` as a base; later versions look up "
       "the id '' and fail with KeyError: ''.",
       "Write `down_revision = None`.", Severity::Warning},
      {"unread-migrations", "Migrations below a version location are not read.",
       "A folder nested below a version location holds migration files, but the environment "
       "does not read version locations recursively, so Alembic does not load them either "
       "(OpenStack projects keep versions/<release>/{expand,contract}/ and set the version "
       "locations in Python). Revisions there are left out of the analysis.",
       "Set `recursive_version_locations = true` in alembic.ini, or list the folders under "
       "`version-locations` in [tool.alembic-lsp] when the project sets them in Python.",
       Severity::Information},
      {"io-error", "A migration file or directory could not be read.",
       "A version location or migration file could not be listed or read (permissions, a "
       "dangling symbolic link, a directory loop, a file loaded twice through two version "
       "locations). Its revisions are missing from the analysis.",
       "Fix the file system problem named in the message.", Severity::Warning},
      {"config-error", "The Alembic configuration is invalid or unusable.",
       "alembic.ini or the [tool.alembic] table of pyproject.toml has a value Alembic would "
       "reject or misread (bad TOML, a missing script_location, a wrong type).",
       "Fix the configuration value named in the message.", Severity::Error},
      {"config-warning", "The [tool.alembic-lsp] settings have a problem.",
       "The [tool.alembic-lsp] table of pyproject.toml has an unknown key, a value of the "
       "wrong type, an unknown finding code, or names an environment that does not exist. "
       "The setting is ignored.",
       "Use the keys expected-heads, allow-multiple-heads, ignore, severity and "
       "version-locations, with the "
       "types the message names.",
       Severity::Warning},
  };
  return rules;
}

const RuleHelp* find_rule_help(std::string_view code) {
  const auto& rules = rule_help();
  auto it =
      std::find_if(rules.begin(), rules.end(), [&](const RuleHelp& r) { return r.code == code; });
  return it == rules.end() ? nullptr : &*it;
}

}  // namespace alembic::cli
