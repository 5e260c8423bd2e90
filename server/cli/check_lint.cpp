#include "server/cli/check_lint.h"

#include <set>

#include "analysis/branch_conflicts.h"
#include "analysis/discovery.h"
#include "analysis/git.h"
#include "analysis/operation_findings.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

// The migration files under the environment's version locations that differ from `base`:
// changed or added since the commit (git diff), or not tracked yet. Named as check names
// real paths (Script::path is a display path; both are made canonical to compare).
std::set<std::string> changed_since(const BaseCommit& base, const Environment& env) {
  std::set<std::string> out;
  std::vector<std::string> locations;
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(base.top, ec);
  for (const fs::path& location : env.version_locations) {
    const fs::path rel = fs::weakly_canonical(location, ec).lexically_relative(top);
    if (!rel.empty() && *rel.begin() != "..") locations.push_back(rel.generic_string());
  }
  if (locations.empty()) return out;
  auto collect = [&](std::vector<std::string> args) {
    args.push_back("--");
    args.insert(args.end(), locations.begin(), locations.end());
    const git::RunResult r = git::run(base.top, args);
    if (!r.ok())
      throw BaselineError("cannot list the migrations changed since " + base.ref + ": " +
                          (r.started ? r.err : r.error));
    size_t pos = 0;
    while (pos < r.out.size()) {
      size_t end = r.out.find('\0', pos);
      if (end == std::string::npos) end = r.out.size();
      if (end > pos)
        out.insert(fs::weakly_canonical(top / fs::path(r.out.substr(pos, end - pos)), ec).string());
      pos = end + 1;
    }
  };
  collect({"diff", "--name-only", "-z", "--no-renames", base.commit});
  collect({"ls-files", "-z", "--others", "--exclude-standard", "--full-name"});
  return out;
}

}  // namespace

void add_lint_findings(const LoadedEnvironment& env, const Settings& settings, LintScope scope,
                       const std::optional<BaseCommit>& base, std::vector<Finding>& out) {
  auto load = [](const std::string& path) -> std::optional<std::string> {
    try {
      return read_file_bytes(path);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  // Only when asked, like the operation codes: a plain check reports what the editor
  // shows, and the server does not read operations for its diagnostics (yet).
  if (scope == LintScope::None) return;
  add_branch_conflicts(env.graph, env.scripts, load, out);
  std::set<std::string> changed;
  if (scope == LintScope::Changed && base) changed = changed_since(*base, env.environment);
  LintOptions options;
  options.dialect = settings.dialect ? *settings.dialect : environment_dialect(env.environment);
  std::vector<const Script*> chosen;
  for (const Script& script : env.scripts) {
    std::error_code ec;
    if (scope == LintScope::Changed &&
        !changed.count(fs::weakly_canonical(script.path, ec).string()))
      continue;
    chosen.push_back(&script);
  }
  // Each file read and parsed whole on its own worker (the cost --lint all adds).
  std::vector<std::vector<Finding>> found(chosen.size());
  parallel_for(chosen.size(), 0, [&](size_t i) {
    if (const std::optional<std::string> source = load(chosen[i]->path))
      add_operation_findings(chosen[i]->path, read_operations(*source), options, found[i]);
  });
  for (std::vector<Finding>& f : found)
    out.insert(out.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
}

}  // namespace alembic::cli
