// `check --lint all` and `check --base REF`: the operation findings (unsafe schema changes,
// analysis/operation_findings.h) of the migrations asked for, and branch-conflict when an
// environment has several heads. The function bodies are read only here, never by the
// graph analysis, so a plain `check` costs what it did.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/project.h"
#include "analysis/project_visit.h"
#include "analysis/settings.h"
#include "server/cli/baseline.h"

namespace alembic::cli {

enum class LintScope {
  None,     ///< no operation findings (a plain `check`)
  Changed,  ///< the migrations changed since --base (added, modified, untracked)
  All,      ///< every migration (--lint all)
};

/// The operation findings of `env`'s migrations in `scope` (`base` is the --base commit,
/// for Changed), and branch-conflict findings (as the editor shows them: also for None,
/// unless the setting lint = "off"), appended to `out`. The dialect is the
/// `dialect` setting, else the literal sqlalchemy.url of the environment's alembic.ini.
/// Unreadable files are skipped (the graph analysis already reported them). For All,
/// `visited` (when given) holds what lint_visitor found while `env` was loaded: they are
/// moved out of it and no file is read again.
void add_lint_findings(const LoadedEnvironment& env, const Settings& settings, LintScope scope,
                       const std::optional<BaseCommit>& base, std::vector<Finding>& out,
                       std::vector<Finding>* visited = nullptr);

/// For load_environment under --lint all (or lint = "all"): the operation findings of each
/// migration, found from the bytes the loader read (every file is then read once).
SourceVisitor lint_visitor(const Settings& settings, const Environment& env);

}  // namespace alembic::cli
