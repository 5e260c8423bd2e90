// What `check` reports after the project's settings and --base: loads each PATH with its
// [tool.alembic-lsp] settings, then leaves in each LoadedEnvironment exactly the findings
// to report (in graph.findings; problems are folded in), so every output format agrees.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/project.h"
#include "server/cli/load.h"

namespace alembic::cli {

struct CheckOptions {
  std::optional<std::string> base_ref;  ///< --base GIT_REF
  bool lint_all = false;                ///< --lint all: operation findings for every migration
};

/// load_paths for each PATH, with its settings applied, and with only the findings
/// introduced since `base_ref` when set. Throws BaselineError for --base problems.
LoadResult load_and_filter(const std::vector<std::string>& paths, const CheckOptions& options);

}  // namespace alembic::cli
