#include "server/cli/load.h"

#include <set>

#include "analysis/findings.h"
#include "analysis/outside.h"
#include "platform/path_text.h"
#include "platform/system.h"
#include "server/cli/check_report.h"
#include "server/workspace.h"

namespace alembic::cli {

namespace fs = std::filesystem;

LoadResult load_paths(const std::vector<std::string>& paths, const OptionsFor& options_for,
                      const VisitorFor& visitor_for) {
  LoadResult out;
  std::set<std::string> seen;
  for (const auto& p : paths) {
    // Windows compares file names without case: the spelling the file system stores (as
    // the server's keys), so one project named in two cases is checked once and its paths
    // print relative to the working directory. The path as given on other systems.
    const fs::path where =
        platform::utf8_path(platform::kWindowsPaths ? server::normal_path(p) : p);
    Discovery d = discover_environments(where);
    bool fatal = false;
    for (const auto& problem : d.problems) {
      std::string where = display_path(problem.path);
      if (problem.line > 0) where += ":" + std::to_string(problem.line);
      if (problem.fatal) {
        out.fatal_errors.push_back(where + ": " + problem.message);
        fatal = true;
      }
    }
    if (d.environments.empty() && !fatal) {
      out.fatal_errors.push_back(
          p +
          ": no Alembic environment found (looked for alembic.ini, pyproject.toml with "
          "[tool.alembic], and directories of migration files)");
    }
    std::vector<const Environment*> beside;
    for (const auto& env : d.environments) beside.push_back(&env);
    for (const auto& env : d.environments) {
      std::string key = env.script_location.string() + "|" + env.config_section + "|";
      for (const auto& v : env.version_locations) key += v.string() + ";";
      if (!seen.insert(key).second) continue;
      std::error_code ec;
      const fs::path cwd = fs::current_path(ec);  // once, not once per file
      LoadResult::Visited visited;
      const SourceVisitor visit = visitor_for ? visitor_for(env) : SourceVisitor{};
      visited.done = static_cast<bool>(visit);
      LoadedEnvironment loaded = load_environment(
          env, [&cwd](const fs::path& f) { return display_path(f, cwd); },
          options_for ? options_for(env, beside) : AnalysisOptions{}, 0, visit, visited.findings);
      // Non-fatal discovery problems that concern this environment's config travel with it.
      for (const auto& problem : d.problems) {
        if (problem.fatal) continue;
        if (env.config_path && problem.path == *env.config_path) loaded.problems.push_back(problem);
      }
      out.environments.push_back(std::move(loaded));
      out.visited.push_back(std::move(visited));
    }
    // Problems not tied to any environment's config file are still shown.
    for (const auto& problem : d.problems) {
      if (problem.fatal) continue;
      bool attached = false;
      for (const auto& env : d.environments)
        attached |= env.config_path && problem.path == *env.config_path;
      if (!attached && !out.environments.empty())
        out.environments.front().problems.push_back(problem);
    }
  }
  // A missing parent that some other environment (or an unread folder) defines says where.
  bool any_missing = false;
  for (const auto& env : out.environments)
    for (const Finding& f : env.graph.findings) any_missing |= f.code == codes::kMissingRevision;
  if (any_missing) {
    RevisionHomes homes;
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    for (const auto& env : out.environments)
      homes.add(env.environment, env.scripts,
                [&cwd](const fs::path& f) { return display_path(f, cwd); });
    for (auto& env : out.environments)
      homes.annotate(env.environment, env.scripts, env.graph.findings);
  }
  return out;
}

}  // namespace alembic::cli
