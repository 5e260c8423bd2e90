#include "server/branch_conflict_lint.h"

#include <algorithm>
#include <set>

#include "analysis/discovery.h"
#include "analysis/operations.h"

namespace alembic::server {

namespace {

bool shown(const EnvironmentState& env) {
  return env.settings.lint.value_or("open") != "off" && env.graph.head_indexes.size() >= 2;
}

}  // namespace

void BranchConflictLint::add(const EnvironmentState& env, std::vector<Finding>& out) const {
  if (envs_.empty() || !shown(env)) return;
  auto it = envs_.find(environment_key(env.environment));
  if (it == envs_.end()) return;
  const std::vector<std::string>& heads = env.graph.heads;
  for (const Finding& f : it->second.findings)
    if (std::all_of(f.revisions.begin(), f.revisions.end(), [&](const std::string& id) {
          return std::find(heads.begin(), heads.end(), id) != heads.end();
        }))
      out.push_back(f);
}

const TableTouches* BranchConflictLint::touches(const Workspace& workspace, const std::string& path,
                                                const std::function<bool()>& interrupted) {
  Touches& entry = files_[path];
  const std::string* open = workspace.open_text(path);
  // A closed file the disk has said nothing new about since it was read: as it was.
  if (!open && entry.closed && entry.disk_generation == workspace.disk_generation())
    return &entry.touches;
  // Odd for an open text, even for a file on disk, 0 for a file that cannot be seen.
  const size_t key =
      open ? std::hash<std::string>{}(*open) * 2 + 1 : Workspace::disk_stamp(path) * 2;
  if (key == 0 || key != entry.key) {
    if (interrupted()) return nullptr;  // read next time
    ++files_read_;
    entry.key = key;
    entry.touches =
        key == 0 ? TableTouches{}  // gone or unreadable: nothing to say
                 : table_touches(path, read_operations(open ? *open : workspace.text_of(path)));
  }
  entry.closed = !open;
  entry.disk_generation = workspace.disk_generation();
  return &entry.touches;
}

bool BranchConflictLint::refresh(const Workspace& workspace,
                                 const std::function<bool()>& interrupted) {
  bool changed = false;
  std::set<std::string> live;
  std::set<std::string> used;
  for (const auto& env : workspace.environments()) {
    if (!shown(*env)) continue;
    const std::string id = environment_key(env->environment);
    live.insert(id);
    Branches& branches = envs_[id];
    if (branches.generation != workspace.generation()) {
      ++walks_;
      if (!branch_pairs(env->graph, interrupted, branches.pairs)) {
        branches.generation = UINT64_MAX;  // walked in part: again next time
        return changed;
      }
      branches.generation = workspace.generation();
    }
    // Every file on the branches read (or known unchanged) before the findings are built.
    std::map<size_t, const TableTouches*> by_revision;
    for (const BranchPair& pair : branches.pairs)
      for (const auto* branch : {&pair.branch_a, &pair.branch_b})
        for (size_t r : *branch) {
          if (by_revision.count(r)) continue;
          const std::string& path = env->scripts[env->graph.revisions[r].script].path;
          const TableTouches* t = touches(workspace, path, interrupted);
          if (!t) return changed;  // a message waits: the rest after it
          by_revision[r] = t;
          used.insert(path);
        }
    std::vector<Finding> findings;
    add_branch_conflicts(
        env->graph, branches.pairs,
        [&by_revision](size_t r) -> const TableTouches& { return *by_revision.at(r); }, findings);
    if (findings != branches.findings) {
      branches.findings = std::move(findings);
      changed = true;
    }
  }
  // Environments with one head (or gone) are forgotten. The files no longer on a branch
  // are kept for a while: a fork made and undone (typing a down_revision) needs the same
  // ones again; past kKeptFiles more than the branches need, they all go.
  for (auto it = envs_.begin(); it != envs_.end();)
    it = live.count(it->first) ? std::next(it) : envs_.erase(it);
  if (files_.size() > used.size() + kKeptFiles)
    for (auto it = files_.begin(); it != files_.end();)
      it = used.count(it->first) ? std::next(it) : files_.erase(it);
  return changed;
}

}  // namespace alembic::server
