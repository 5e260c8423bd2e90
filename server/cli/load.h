// Discovering and loading the environments named on a command line.
#pragma once

#include <string>
#include <vector>

#include "analysis/project.h"

namespace alembic::cli {

struct LoadResult {
  std::vector<LoadedEnvironment> environments;
  std::vector<std::string> fatal_errors;  ///< printed on stderr; the command exits 2
};

/// Each path is a project root, a config file, a versions directory or a monorepo root.
/// The same environment reached from two paths is loaded once.
LoadResult load_paths(const std::vector<std::string>& paths);

}  // namespace alembic::cli
