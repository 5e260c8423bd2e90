#include "server/cli/select.h"

#include <iostream>
#include <stdexcept>

#include "platform/path_text.h"
#include "server/cli/args.h"
#include "server/cli/check_report.h"

namespace alembic::cli {

namespace fs = std::filesystem;

std::string absolute_path_name(const fs::path& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  return (ec ? path : abs).lexically_normal().string();
}

namespace {

bool is_within(const fs::path& dir, const fs::path& path) {
  if (dir.empty()) return false;
  const fs::path rel = path.lexically_normal().lexically_relative(dir.lexically_normal());
  return !rel.empty() && *rel.begin() != "..";
}

// A discovery problem about this environment's config or directories.
bool concerns(const Environment& env, const fs::path& path) {
  if (env.config_path && path == *env.config_path) return true;
  if (is_within(env.script_location, path)) return true;
  for (const auto& location : env.version_locations)
    if (is_within(location, path)) return true;
  return false;
}

}  // namespace

void warn_if_broken(const LoadedEnvironment& env) {
  size_t errors = 0;
  // Several heads or bases are a valid state for `alembic heads`; the rest stops Alembic.
  for (const Finding& f : env.graph.findings)
    errors +=
        f.severity == Severity::Error && f.code != "multiple-heads" && f.code != "unexpected-base";
  if (errors == 0) return;
  std::cerr << "alembic-lsp: warning: environment " << env.environment.name << " has " << errors
            << (errors == 1 ? " error" : " errors")
            << " in its history (see `alembic-lsp check`); this output may differ from what "
               "Alembic, which would stop, prints\n";
}

LoadedEnvironment load_chosen_environment(const std::string& path,
                                          const std::optional<std::string>& name,
                                          const PathNamer& name_path,
                                          const AnalysisOptions& options) {
  Discovery d = discover_environments(platform::utf8_path(path));
  for (const auto& problem : d.problems) {
    std::string where = display_path(problem.path);
    if (problem.line > 0) where += ":" + std::to_string(problem.line);
    if (problem.fatal) throw std::runtime_error(where + ": " + problem.message);
  }
  if (d.environments.empty())
    throw std::runtime_error(path +
                             ": no Alembic environment found (looked for alembic.ini, "
                             "pyproject.toml with [tool.alembic], and directories of migration "
                             "files)");
  const Environment* chosen = nullptr;
  std::string names;
  std::vector<const Environment*> all;
  for (const auto& env : d.environments) {
    names += (names.empty() ? "" : ", ") + env.name;
    all.push_back(&env);
  }
  // The full name wins, then the ini section or a trailing part of the path.
  const std::vector<const Environment*> answering =
      name ? environments_named(all, *name) : std::vector<const Environment*>{};
  if (answering.size() == 1) chosen = answering.front();
  if (name && !chosen && answering.size() > 1) {
    std::string choices;
    for (const Environment* env : answering) choices += (choices.empty() ? "" : ", ") + env->name;
    throw UsageError("several environments answer to '" + *name + "' under " + path + " (" +
                     choices + "); give one of these names with --name ENV");
  }
  if (name && !chosen)
    throw UsageError("no environment named '" + *name + "' under " + path + " (found: " + names +
                     ")");
  if (!chosen) {
    if (d.environments.size() > 1)
      throw UsageError("several Alembic environments under " + path + " (" + names +
                       "); choose one with --name ENV");
    chosen = &d.environments.front();
  }
  for (const auto& problem : d.problems) {
    if (!concerns(*chosen, problem.path)) continue;
    std::string where = display_path(problem.path);
    if (problem.line > 0) where += ":" + std::to_string(problem.line);
    std::cerr << "alembic-lsp: warning: " << where << ": " << problem.message << "\n";
  }
  LoadedEnvironment loaded = load_environment(*chosen, name_path, options);
  for (const auto& problem : loaded.problems)
    std::cerr << "alembic-lsp: warning: " << display_path(problem.path) << ": " << problem.message
              << "\n";
  return loaded;
}

}  // namespace alembic::cli
