#include "server/cli/check_history.h"

#include "analysis/findings.h"
#include "analysis/outside.h"

namespace alembic::cli {

std::vector<EnvironmentHistory> look_up_history(const std::vector<LoadedEnvironment>& envs) {
  std::vector<EnvironmentHistory> out(envs.size());
  history::History cache;
  for (size_t i = 0; i < envs.size(); ++i) {
    std::vector<std::string> ids;
    for (const Finding& f : envs[i].graph.findings)
      if (f.code == codes::kMissingRevision && f.revisions.size() >= 2 && !defined_outside(f))
        ids.push_back(f.revisions[1]);
    if (ids.empty()) continue;
    std::string why;
    std::optional<history::Scope> scope = history::scope_of(envs[i].environment, &why);
    if (!scope) continue;  // not in a repository, or no git: the report stays as it was
    auto found = cache.missing(*scope, ids, &why);
    if (!found) continue;
    for (history::MissingRevisionHistory& h : *found) out[i][h.id] = std::move(h);
  }
  return out;
}

void note_deleted_merges(std::vector<LoadedEnvironment>& envs) {
  history::History cache;
  for (LoadedEnvironment& env : envs) {
    bool several = false;
    for (const Finding& f : env.graph.findings)
      several |= f.code == codes::kMultipleHeads && f.severity == Severity::Error;
    if (!several) continue;
    std::string why;
    std::optional<history::Scope> scope = history::scope_of(env.environment, &why);
    if (!scope) continue;  // not in a repository, or no git: nothing to add
    std::optional<history::DeletedMerge> merge = cache.deleted_merge(*scope, env.graph.heads, &why);
    if (!merge) continue;
    for (Finding& f : env.graph.findings)
      if (f.code == codes::kMultipleHeads && f.severity == Severity::Error)
        add_detail(f, "The merge that joined them is gone: " + history::describe(*merge) + ".");
  }
}

const history::MissingRevisionHistory* history_of(const EnvironmentHistory* history,
                                                  const Finding& finding) {
  if (!history || finding.code != codes::kMissingRevision || finding.revisions.size() < 2 ||
      defined_outside(finding))
    return nullptr;
  auto it = history->find(finding.revisions[1]);
  return it == history->end() ? nullptr : &it->second;
}

nlohmann::ordered_json history_json(const history::MissingRevisionHistory& h) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["fate"] = history::fate_name(h.fate);
  j["summary"] = history::describe(h);
  j["path"] = h.path.empty() ? ordered_json(nullptr) : ordered_json(h.path);
  if (!h.renamed_to.empty()) j["renamed_to"] = h.renamed_to;
  if (h.commit) {
    j["commit"] = {{"id", h.commit->id},
                   {"author", h.commit->author},
                   {"email", h.commit->email},
                   {"date", h.commit->date},
                   {"subject", h.commit->subject}};
  } else {
    j["commit"] = nullptr;
  }
  j["restore_from"] = h.restore_from.empty() ? ordered_json(nullptr) : ordered_json(h.restore_from);
  ordered_json refs = ordered_json::array();
  for (const history::RefCopy& r : h.refs)
    refs.push_back({{"ref", r.ref}, {"commit", r.commit}, {"path", r.path}});
  j["refs"] = std::move(refs);
  j["shallow"] = h.shallow;
  return j;
}

}  // namespace alembic::cli
