#include "server/cli/check_lint.h"

#include <map>
#include <set>
#include <string_view>

#include "analysis/branch_conflicts.h"
#include "analysis/discovery.h"
#include "analysis/git.h"
#include "analysis/operation_findings.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

// The migrations that differ from `base`: changed or added since the commit, tracked or
// not. Named as check names real paths (Script::path is a display path; both are made
// canonical to compare). Read without running anything of the repository's: the blob ids
// at the base from the object store (`ls-tree`), the files' own ids by hashing them as
// they are (`hash-object --no-filters`), never a work-tree diff, which would run the
// repository's fsmonitor hook, clean filters and external diff drivers.
std::set<std::string> changed_since(const BaseCommit& base, const Environment& env,
                                    const std::vector<Script>& scripts) {
  std::set<std::string> out;
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(base.top, ec);
  auto fail = [&](const git::RunResult& r) {
    throw BaselineError("cannot list the migrations changed since " + base.ref + ": " +
                        (r.started ? r.err : r.error));
  };
  std::vector<std::string> args = {"ls-tree", "-r", "-z", "--full-name", base.commit, "--"};
  for (const fs::path& location : env.version_locations) {
    const fs::path rel = fs::weakly_canonical(location, ec).lexically_relative(top);
    if (!rel.empty() && *rel.begin() != "..") args.push_back(rel.generic_string());
  }
  std::map<std::string, std::string> at_base;  // path under the top -> blob id
  if (args.size() > 6) {
    const git::RunResult r = git::run(base.top, args);
    if (!r.ok()) fail(r);
    size_t pos = 0;
    while (pos < r.out.size()) {
      size_t end = r.out.find('\0', pos);
      if (end == std::string::npos) end = r.out.size();
      const std::string_view record(r.out.data() + pos, end - pos);
      const size_t tab = record.find('\t');
      const size_t space = record.rfind(' ', tab);
      if (tab != std::string_view::npos && space != std::string_view::npos)
        at_base.emplace(record.substr(tab + 1), record.substr(space + 1, tab - space - 1));
      pos = end + 1;
    }
  }
  std::vector<std::string> paths;  // canonical, in the order given to hash-object
  std::string input;
  for (const Script& script : scripts) {
    std::string path = fs::weakly_canonical(script.path, ec).string();
    if (path.find('\n') != std::string::npos) {
      out.insert(path);  // cannot be named on a line: read it as changed
      continue;
    }
    input += path + "\n";
    paths.push_back(std::move(path));
  }
  if (paths.empty()) return out;
  const git::RunResult r =
      git::run(base.top, {"hash-object", "--no-filters", "--stdin-paths"}, input);
  if (!r.ok()) fail(r);
  size_t pos = 0;
  for (const std::string& path : paths) {
    size_t end = r.out.find('\n', pos);
    if (end == std::string::npos) end = r.out.size();
    const std::string id = r.out.substr(pos, end - pos);
    pos = end + 1;
    const std::string rel = fs::path(path).lexically_relative(top).generic_string();
    auto it = at_base.find(rel);
    if (it == at_base.end() || it->second != id) out.insert(path);
  }
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
  if (scope == LintScope::Changed && base)
    changed = changed_since(*base, env.environment, env.scripts);
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
