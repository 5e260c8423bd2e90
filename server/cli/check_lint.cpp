#include "server/cli/check_lint.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "analysis/branch_conflicts.h"
#include "analysis/discovery.h"
#include "analysis/git.h"
#include "analysis/graph.h"
#include "analysis/operation_findings.h"
#include "platform/path_text.h"
#include "server/cli/baseline.h"
#include "server/cli/check_report.h"

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
    std::string path = fs::weakly_canonical(platform::utf8_path(script.path), ec).string();
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
    const std::string rel = platform::utf8_path(path).lexically_relative(top).generic_string();
    auto it = at_base.find(rel);
    if (it == at_base.end() || it->second != id) out.insert(path);
  }
  return out;
}

// branch-conflict between this checkout and the base: the migrations the base has and this
// checkout has not (added there since the branch left it) joined to this checkout's, so
// a pull request's new migration and one merged on the base meanwhile show as the two
// heads they will become. Only conflicts with such a base-only head are added (the
// checkout's own heads are add_branch_conflicts' business), placed on this checkout's
// side; the base's files are read from the commit, never checked out.
void add_base_conflicts(const LoadedEnvironment& env, const BaseCommit& base,
                        std::vector<Finding>& out) {
  std::set<std::string> here;
  for (const Revision& r : env.graph.revisions) here.insert(r.id);
  const std::vector<Script> at_base =
      scripts_at(base, env.environment, [](const fs::path& p) { return display_path(p); });
  const GraphAnalysis base_graph = analyze(at_base);
  std::vector<Script> joined = env.scripts;
  std::set<std::string> base_only_paths, base_only_ids;
  for (const Revision& r : base_graph.revisions) {
    if (here.count(r.id) || base_only_ids.count(r.id)) continue;
    base_only_ids.insert(r.id);
    base_only_paths.insert(at_base[r.script].path);
    joined.push_back(at_base[r.script]);
  }
  if (base_only_ids.empty()) return;
  const GraphAnalysis graph = analyze(joined);
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(base.top, ec);
  auto load = [&](const std::string& path) -> std::optional<std::string> {
    if (!base_only_paths.count(path)) {
      try {
        return read_file_bytes(path);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
    const std::string rel = fs::weakly_canonical(platform::utf8_path(path), ec)
                                .lexically_relative(top)
                                .generic_string();
    const git::RunResult r = git::run(base.top, {"cat-file", "blob", base.commit + ":" + rel});
    if (!r.ok()) return std::nullopt;
    return r.out;
  };
  std::vector<Finding> conflicts;
  add_branch_conflicts(graph, joined, load, conflicts);
  for (Finding& f : conflicts) {
    const bool with_base =
        std::any_of(f.revisions.begin(), f.revisions.end(),
                    [&](const std::string& id) { return base_only_ids.count(id); });
    if (!with_base) continue;
    f.detail += " The other branch is on " + base.ref +
                ", not in this checkout: merge it in (or rebase onto it) and merge the heads.";
    if (base_only_paths.count(f.location.path)) {
      // Shown on this checkout's side: its first change to the table.
      for (RelatedLocation& r : f.related)
        if (!base_only_paths.count(r.location.path)) {
          std::swap(f.location, r.location);
          r.message = "on " + base.ref + ": " + r.message;
          break;
        }
    }
    for (RelatedLocation& r : f.related)
      if (base_only_paths.count(r.location.path) && r.message.rfind("on ", 0) != 0)
        r.message = "on " + base.ref + ": " + r.message;
    out.push_back(std::move(f));
  }
}

LintOptions lint_options(const Settings& settings, const Environment& env) {
  LintOptions options;
  options.dialect = settings.dialect ? *settings.dialect : environment_dialect(env);
  return options;
}

}  // namespace

SourceVisitor lint_visitor(const Settings& settings, const Environment& env) {
  return [options = lint_options(settings, env)](const std::string& path, std::string_view source,
                                                 std::vector<Finding>& out) {
    add_operation_findings(path, read_operations(source), options, out);
  };
}

void add_lint_findings(const LoadedEnvironment& env, const Settings& settings, LintScope scope,
                       const std::optional<BaseCommit>& base, std::vector<Finding>& out,
                       std::vector<Finding>* visited) {
  auto load = [](const std::string& path) -> std::optional<std::string> {
    try {
      return read_file_bytes(path);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  // branch-conflict as the editor shows it: in every check unless lint = "off" (an
  // explicit --lint all still reports it). It reads only the branches' migrations, and
  // only when the history has several heads.
  if (scope != LintScope::None || settings.lint.value_or("open") != "off")
    add_branch_conflicts(env.graph, env.scripts, load, out);
  if (scope == LintScope::None) return;
  std::set<std::string> changed;
  if (scope == LintScope::Changed && base)
    changed = changed_since(*base, env.environment, env.scripts);
  if (base) add_base_conflicts(env, *base, out);
  if (scope == LintScope::All && visited) {
    out.reserve(out.size() + visited->size());
    out.insert(out.end(), std::make_move_iterator(visited->begin()),
               std::make_move_iterator(visited->end()));
    visited->clear();
    return;
  }
  const LintOptions options = lint_options(settings, env.environment);
  std::vector<const Script*> chosen;
  for (const Script& script : env.scripts) {
    std::error_code ec;
    if (scope == LintScope::Changed &&
        !changed.count(fs::weakly_canonical(platform::utf8_path(script.path), ec).string()))
      continue;
    chosen.push_back(&script);
  }
  // Each file read again and parsed whole on its own worker.
  std::vector<std::vector<Finding>> found(chosen.size());
  parallel_for(chosen.size(), 0, [&](size_t i) {
    if (const std::optional<std::string> source = load(chosen[i]->path))
      add_operation_findings(chosen[i]->path, read_operations(*source), options, found[i]);
  });
  for (std::vector<Finding>& f : found)
    out.insert(out.end(), std::make_move_iterator(f.begin()), std::make_move_iterator(f.end()));
}

}  // namespace alembic::cli
