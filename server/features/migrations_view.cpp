// `alembic/migrations`: what the editors' migrations views list (VS Code's tree in the
// Explorer, Neovim's :AlembicMigrations quickfix list, Emacs' *alembic* buffer). Per
// environment: its heads and bases, and every revision in history order (from the bases
// to the heads) with what a node shows: id, message, file and line, its kinds (head, base,
// merge point, branch point), branch labels, parents and children, and the problems
// reported in its file (finding code, severity, message). Problems of files in the
// environment that declare no revision (a helper module among the migrations) and the
// missing parents are listed on the environment.
//
// Params: none, or {uri}: only the environment near that file.
// Result: {indexed, environments: [{name, config, section, heads, bases, revisions: [{id,
// message, path, uri, line (1-based, of `revision = ...`), kinds, branch_labels, parents,
// children, depends_on, problems: [{code, severity, message, line}]}], missing: [{id,
// referenced_by}], problems: [{code, severity, message, path, uri, line}]}]}.
#include <algorithm>
#include <map>
#include <set>

#include "server/features/features.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

struct MigrationsParams {
  std::optional<std::string> uri;
};

void from_json(const json& in, MigrationsParams& value) {
  protocol::read_lenient(in, "uri", value.uri);
}

json problem_json(const Finding& f) {
  return {{"code", f.code},
          {"severity", severity_name(f.severity)},
          {"message", f.message},
          {"line", f.location.range.start_line + 1}};
}

// Indexes into graph.revisions from the bases to the heads: a revision comes after every
// parent it has in the environment (Kahn's order; among the ready ones, load order first).
// Revisions of a cycle never become ready; they follow in load order.
std::vector<size_t> history_order(const GraphAnalysis& graph) {
  const size_t n = graph.revisions.size();
  std::vector<size_t> waiting(n, 0);
  std::vector<std::vector<size_t>> children(n);
  for (size_t i = 0; i < n; ++i) {
    std::set<size_t> parents;  // a tuple naming the same parent twice counts it once
    for (const std::string& id : graph.revisions[i].down_revisions) {
      auto it = graph.by_id.find(id);
      if (it == graph.by_id.end()) continue;
      parents.insert(it->second.begin(), it->second.end());
    }
    waiting[i] = parents.size();
    for (size_t p : parents) children[p].push_back(i);
  }
  std::set<size_t> ready;
  for (size_t i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.insert(i);
  std::vector<size_t> order;
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    const size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    placed[i] = true;
    for (size_t c : children[i])
      if (--waiting[c] == 0) ready.insert(c);
  }
  for (size_t i = 0; i < n; ++i)
    if (!placed[i]) order.push_back(i);
  return order;
}

json environment_json(const EnvironmentState& env, const std::vector<Finding>& findings) {
  const GraphAnalysis& graph = env.graph;
  std::set<size_t> heads(graph.head_indexes.begin(), graph.head_indexes.end());
  std::set<size_t> bases(graph.base_indexes.begin(), graph.base_indexes.end());
  std::set<std::string> merges(graph.merge_points.begin(), graph.merge_points.end());

  // The findings of this environment's files, by path; a revision takes its file's.
  std::map<std::string, std::vector<const Finding*>> by_path;
  std::set<std::string> files;
  for (const Script& s : env.scripts) files.insert(s.path);
  for (const Finding& f : findings)
    if (files.count(f.location.path)) by_path[f.location.path].push_back(&f);

  std::set<std::string> labels;
  for (const Revision& r : graph.revisions)
    labels.insert(r.branch_labels.begin(), r.branch_labels.end());

  json revisions = json::array();
  std::set<std::string> revision_files;
  std::map<std::string, std::vector<std::string>> missing;  // id -> children naming it
  for (size_t i : history_order(graph)) {
    const Revision& r = graph.revisions[i];
    const Script& s = env.scripts[r.script];
    revision_files.insert(s.path);
    json kinds = json::array();
    if (heads.count(i)) kinds.push_back("head");
    if (bases.count(i)) kinds.push_back("base");
    if (merges.count(r.id)) kinds.push_back("merge");
    if (graph.branch_points.count(r.id)) kinds.push_back("branch-point");
    auto defs = graph.by_id.find(r.id);
    if (defs != graph.by_id.end() && defs->second.size() > 1) kinds.push_back("duplicate");
    json problems = json::array();
    if (auto it = by_path.find(s.path); it != by_path.end())
      for (const Finding* f : it->second) problems.push_back(problem_json(*f));
    revisions.push_back({
        {"id", r.id},
        {"message", s.parsed.docstring.message},
        {"path", s.path},
        {"uri", path_to_uri(s.path)},
        {"line", s.parsed.revision.present ? s.parsed.revision.value_range.start_line + 1 : 1},
        {"kinds", std::move(kinds)},
        {"branch_labels", r.branch_labels},
        {"parents", r.down_revisions},
        {"children", r.children},
        {"depends_on", r.depends_on},
        {"problems", std::move(problems)},
    });
    for (const std::string& parent : r.down_revisions)
      if (!graph.by_id.count(parent)) missing[parent].push_back(r.id);
    for (const std::string& dep : r.depends_on)
      if (!graph.by_id.count(dep) && !labels.count(dep)) missing[dep].push_back(r.id);
  }

  json missing_json = json::array();
  for (auto& [id, children] : missing)
    missing_json.push_back({{"id", id}, {"referenced_by", children}});
  // Problems of files that declare no revision (not-a-migration, an unreadable header).
  json other = json::array();
  for (const auto& [path, list] : by_path) {
    if (revision_files.count(path)) continue;
    for (const Finding* f : list) {
      json p = problem_json(*f);
      p["path"] = path;
      p["uri"] = path_to_uri(path);
      other.push_back(std::move(p));
    }
  }

  const std::string& section = env.environment.config_section;
  const bool ini = !section.empty() && section != "tool.alembic";
  return {{"name", env.environment.name},
          {"config", env.environment.config_path ? json(env.environment.config_path->string())
                                                 : json(nullptr)},
          {"section", ini ? json(section) : json(nullptr)},
          {"heads", graph.heads},
          {"bases", graph.bases},
          {"revisions", std::move(revisions)},
          {"missing", std::move(missing_json)},
          {"problems", std::move(other)}};
}

json migrations(Session& session, const MigrationsParams& params) {
  const EnvironmentState* only = nullptr;
  if (params.uri) {
    auto path = uri_to_path(*params.uri);
    if (!path)
      throw protocol::RpcError(protocol::ErrorCode::InvalidParams,
                               "not a file URI: " + *params.uri);
    only = session.core.workspace().environment_near(*path);
  }
  const std::vector<Finding> findings = session.core.current_findings();
  json environments = json::array();
  for (const auto& env : session.environments()) {
    if (only && env.get() != only) continue;
    environments.push_back(environment_json(*env, findings));
  }
  return {{"indexed", session.indexed()}, {"environments", std::move(environments)}};
}

}  // namespace

void register_migrations_view(Session& session) {
  session.endpoint.on_request("alembic/migrations",
                              [&session](const json& params, const protocol::RequestContext&) {
                                MigrationsParams p;
                                if (params.is_object()) from_json(params, p);
                                return migrations(session, p);
                              });
}

}  // namespace alembic::server
