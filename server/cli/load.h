// Discovering and loading the environments named on a command line.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analysis/project.h"

namespace alembic::cli {

struct LoadResult {
  std::vector<LoadedEnvironment> environments;
  std::vector<std::string> fatal_errors;  ///< printed on stderr; the command exits 2
};

/// How to analyse an environment, given every environment discovered beside it.
using OptionsFor =
    std::function<AnalysisOptions(const Environment&, const std::vector<const Environment*>&)>;

/// Each path is a project root, a config file, a versions directory or a monorepo root.
/// The same environment reached from two paths is loaded once. Each environment is
/// analysed with `options_for` (default options without it); a missing parent defined
/// outside its environment says where.
LoadResult load_paths(const std::vector<std::string>& paths, const OptionsFor& options_for = {});

}  // namespace alembic::cli
