// `check --base GIT_REF`: report only the findings that the changes since GIT_REF brought.
// The environment's version locations are read as they were at that commit (git ls-tree
// and cat-file, in memory: no checkout, no worktree), analysed like the current files,
// and a current finding is kept only when the base has no equivalent one.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/project.h"

namespace alembic::cli {

/// A problem with the repository or the ref: the command stops (exit 2).
struct BaselineError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A commit of one repository to compare against.
struct BaseCommit {
  std::filesystem::path top;  ///< the work tree's top directory (a real path)
  std::string ref;            ///< as the user wrote it
  std::string commit;         ///< the full commit id
};

/// The commit `ref` names in the repository holding `dir` (or its nearest existing
/// ancestor). Throws BaselineError: "unknown git ref 'X'", "... is not inside a git
/// repository", "git is not installed ...".
BaseCommit resolve_base(const std::filesystem::path& dir, const std::string& ref);

/// The migration scripts of `env` at `base`, in Alembic's load order, each named as
/// `name_path` names the file at the same place in the work tree (so paths compare).
/// Throws BaselineError when a version location lies outside the repository or git fails.
std::vector<Script> scripts_at(const BaseCommit& base, const Environment& env,
                               const PathNamer& name_path);

/// What makes two findings "the same problem" across commits: the code, the file and
/// the revisions involved. For multiple-heads, the head's file alone (the list of other
/// heads changes with every new head; which heads are new is the question).
std::string finding_key(const Finding& finding);

/// The findings of `current` without an equivalent in `base` (each base finding
/// cancels one current finding with the same key). Order is kept.
std::vector<Finding> new_findings(const std::vector<Finding>& current,
                                  const std::vector<Finding>& base);

/// Codes about the present checkout rather than the history (io-error, config-error,
/// config-warning): never filtered by --base.
bool describes_checkout(const Finding& finding);

}  // namespace alembic::cli
