// Loading a whole environment: list, read and parse its migrations in parallel,
// then build its graph. Shared by the CLI and the language server's cold index.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/alembic_version.h"
#include "analysis/discovery.h"
#include "analysis/graph.h"

namespace alembic {

/// One environment with its scripts (load order) and the analysis of its graph.
struct LoadedEnvironment {
  Environment environment;
  std::vector<Script> scripts;
  GraphAnalysis graph;
  std::vector<DiscoveryProblem> problems;  ///< listing or reading problems of this environment
  AlembicVersion alembic;  ///< the Alembic the project runs (set where its settings are read)
  /// Script::path -> the project modules its values were read from (constants.h), for
  /// the scripts whose values name constants of other modules.
  std::map<std::string, std::vector<std::filesystem::path>> constants_read;
};

/// Where an environment's project settings and Alembic version are looked for: its config
/// file's directory, else its script location, else its first version location.
std::filesystem::path settings_anchor(const Environment& env);

/// How paths are written into Script::path (and so into findings).
using PathNamer = std::function<std::string(const std::filesystem::path&)>;

/// Lists, reads and parses every migration of `env` on `threads` workers (0: all cores)
/// and analyses the graph. The version locations are those of `[tool.alembic-lsp]
/// version-locations` when the project's settings give them for `env`. Values written as
/// constants (`cli.CONTRACT_BRANCH`) are resolved from the project's modules (constants.h),
/// each module read once per load. Unreadable files become problems; nothing throws.
LoadedEnvironment load_environment(const Environment& env, const PathNamer& name_path,
                                   const AnalysisOptions& options = {}, unsigned threads = 0);

/// The info finding for a folder of migrations below a version location that nothing
/// reads (Environment::unread_folders), on the folder's first migration file.
Finding unread_folder_finding(const Environment& env, const std::filesystem::path& folder,
                              const PathNamer& name_path);

/// For an environment configured only by `[tool.alembic]` in pyproject.toml, which
/// Alembic reads from 1.16 on: a config-error when `version` is older (that Alembic finds
/// no configuration and stops), on the table's line; nullopt otherwise.
std::optional<Finding> unread_config_finding(const Environment& env, const AlembicVersion& version,
                                             const PathNamer& name_path);

/// Every finding of a loaded environment: the graph's, plus listing, reading and config
/// problems as `io-error` / `config-error` findings (paths named by `name_path`), sorted
/// by path, position and code.
std::vector<Finding> environment_findings(const Environment& env, const GraphAnalysis& graph,
                                          const std::vector<DiscoveryProblem>& problems,
                                          const PathNamer& name_path);

/// Discovers every environment under `roots` (each environment once) and loads them all.
std::vector<LoadedEnvironment> load_roots(const std::vector<std::filesystem::path>& roots,
                                          const PathNamer& name_path,
                                          const std::function<void(size_t, size_t)>& progress = {});

/// Runs `work(i)` for i in [0, count) on up to `threads` workers (0: all cores).
void parallel_for(size_t count, unsigned threads, const std::function<void(size_t)>& work);

}  // namespace alembic
