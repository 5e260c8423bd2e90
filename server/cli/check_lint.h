// `check --lint all` and `check --base REF`: the operation findings (unsafe schema changes,
// analysis/operation_findings.h) of the migrations asked for, and branch-conflict when an
// environment has several heads. The function bodies are read only here, never by the
// graph analysis, so a plain `check` costs what it did.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/project.h"
#include "analysis/settings.h"
#include "server/cli/baseline.h"

namespace alembic::cli {

enum class LintScope {
  None,     ///< no operation findings (a plain `check`)
  Changed,  ///< the migrations changed since --base (added, modified, untracked)
  All,      ///< every migration (--lint all)
};

/// The operation findings of `env`'s migrations in `scope` (`base` is the --base commit,
/// for Changed), and branch-conflict findings, appended to `out`. The dialect is the
/// `dialect` setting, else the literal sqlalchemy.url of the environment's alembic.ini.
/// Unreadable files are skipped (the graph analysis already reported them).
void add_lint_findings(const LoadedEnvironment& env, const Settings& settings, LintScope scope,
                       const std::optional<BaseCommit>& base, std::vector<Finding>& out);

}  // namespace alembic::cli
