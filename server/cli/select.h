// Choosing the one environment a command such as `heads` or `merge` works on.
#pragma once

#include <optional>
#include <string>

#include "analysis/project.h"

namespace alembic::cli {

/// Discovers the environments under `path` and loads the one called `name`, or the only
/// one. Several and no name: a UsageError listing their names and asking for --name.
/// No environment, or a fatal configuration problem: std::runtime_error (exit 2).
/// Other discovery problems are printed on stderr as warnings.
LoadedEnvironment load_chosen_environment(const std::string& path,
                                          const std::optional<std::string>& name,
                                          const PathNamer& name_path,
                                          const AnalysisOptions& options = {});

/// Says on stderr when the history has error findings (Alembic itself would stop), so
/// output that looks normal is not taken for a healthy history.
void warn_if_broken(const LoadedEnvironment& env);

/// Script paths as absolute, normalised paths (what merge planning compares).
std::string absolute_path_name(const std::filesystem::path& path);

}  // namespace alembic::cli
