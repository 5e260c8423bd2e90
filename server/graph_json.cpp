#include "server/graph_json.h"

#include <map>
#include <set>

#include "server/uri.h"

namespace alembic::server {

using nlohmann::json;

json graph_json(const std::string& name, const std::string& config,
                const std::vector<Script>& scripts, const GraphAnalysis& graph) {
  // By index, not id: only one copy of a duplicated id may be a head.
  std::set<size_t> heads(graph.head_indexes.begin(), graph.head_indexes.end());
  std::set<size_t> bases(graph.base_indexes.begin(), graph.base_indexes.end());
  std::set<std::string> merges(graph.merge_points.begin(), graph.merge_points.end());

  std::set<std::string> labels;
  for (const auto& r : graph.revisions)
    labels.insert(r.branch_labels.begin(), r.branch_labels.end());

  json revisions = json::array();
  std::map<std::string, std::vector<std::string>> missing;  // id -> children naming it
  for (size_t i = 0; i < graph.revisions.size(); ++i) {
    const Revision& r = graph.revisions[i];
    const Script& s = scripts[r.script];
    auto defs = graph.by_id.find(r.id);
    revisions.push_back({
        {"id", r.id},
        {"path", s.path},
        {"uri", path_to_uri(s.path)},
        {"line", s.parsed.revision.present ? s.parsed.revision.value_range.start_line + 1 : 1},
        {"down_revisions", r.down_revisions},
        {"depends_on", r.depends_on},
        {"branch_labels", r.branch_labels},
        {"message", s.parsed.docstring.message},
        {"is_head", heads.count(i) > 0},
        {"is_base", bases.count(i) > 0},
        {"is_merge", merges.count(r.id) > 0},
        {"is_branch_point", graph.branch_points.count(r.id) > 0},
        {"duplicate", defs != graph.by_id.end() && defs->second.size() > 1},
    });
    for (const auto& parent : r.down_revisions)
      if (!graph.by_id.count(parent)) missing[parent].push_back(r.id);
    // A depends_on may name a branch label instead of an id.
    for (const auto& dep : r.depends_on)
      if (!graph.by_id.count(dep) && !labels.count(dep)) missing[dep].push_back(r.id);
  }
  json missing_json = json::array();
  for (auto& [id, children] : missing)
    missing_json.push_back({{"id", id}, {"referenced_by", children}});

  return {{"name", name},
          {"config", config.empty() ? json(nullptr) : json(config)},
          {"heads", graph.heads},
          {"bases", graph.bases},
          {"revisions", std::move(revisions)},
          {"missing", std::move(missing_json)}};
}

}  // namespace alembic::server
