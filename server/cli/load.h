// Discovering and loading the environments named on a command line.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analysis/project.h"
#include "analysis/project_visit.h"

namespace alembic::cli {

struct LoadResult {
  std::vector<LoadedEnvironment> environments;
  std::vector<std::string> fatal_errors;  ///< printed on stderr; the command exits 2
  /// Per environment (in the same order): what load_paths' visitor found while loading it.
  struct Visited {
    bool done = false;  ///< there was a visitor
    std::vector<Finding> findings;
  };
  std::vector<Visited> visited;
};

/// How to analyse an environment, given every environment discovered beside it.
using OptionsFor =
    std::function<AnalysisOptions(const Environment&, const std::vector<const Environment*>&)>;

/// What to do with each migration's source while it is loaded (load_environment), per
/// environment; an empty visitor: nothing.
using VisitorFor = std::function<SourceVisitor(const Environment&)>;

/// Each path is a project root, a config file, a versions directory or a monorepo root.
/// The same environment reached from two paths is loaded once. Each environment is
/// analysed with `options_for` (default options without it), its sources visited with
/// `visitor_for`'s visitor; a missing parent defined outside its environment says where.
LoadResult load_paths(const std::vector<std::string>& paths, const OptionsFor& options_for = {},
                      const VisitorFor& visitor_for = {});

}  // namespace alembic::cli
