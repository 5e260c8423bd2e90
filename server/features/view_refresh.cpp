// Code lenses and inlay hints of one file tell facts about others (how many children a
// revision has, the message of a parent), so the client's copies go stale when another
// file changes. After each change, the facts they show are compared with the last ones;
// when they differ, workspace/codeLens/refresh and workspace/inlayHint/refresh ask the
// client (when it supports them) to request them again. Edits that do not touch the
// history (an upgrade() body) change nothing and send nothing.
//
// The comparison costs what the change touched: a fingerprint is kept per revision
// (id, path, summary, parents, children, labels) and per environment (heads, bases),
// and after a one-script edit only the revisions the analysis reports as touched
// (Workspace::changes) are fingerprinted again. A whole re-analysis recomputes them all.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/features/features.h"
#include "server/features/revision_items.h"

namespace alembic::server {

namespace {

class Fingerprint {
 public:
  void add(std::string_view text) {
    for (unsigned char c : text) mix(c);
    mix(0xff);  // a separator no UTF-8 text contains
  }
  void add(const std::vector<std::string>& list) {
    for (const std::string& s : list) add(s);
    mix(0xfe);
  }
  uint64_t value() const { return h_; }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ULL;
  }
  uint64_t h_ = 1469598103934665603ULL;
};

uint64_t revision_facts_hash(const EnvironmentState& env, size_t i) {
  const Revision& r = env.graph.revisions[i];
  Fingerprint f;
  f.add(r.id);
  f.add(script_of_revision(env, i).path);
  f.add(revision_summary(env, i));
  f.add(r.down_revisions);
  f.add(r.children);
  f.add(r.branch_labels);
  return f.value();
}

uint64_t ends_hash(const EnvironmentState& env) {
  Fingerprint f;
  f.add(env.graph.heads);
  f.add(env.graph.bases);
  return f.value();
}

// The place of a revision's fingerprint in the environment's sum: the sum can then be
// updated for one revision and still tells a moved fact from an unchanged one.
uint64_t placed(size_t i, uint64_t h) {
  uint64_t x = h ^ (static_cast<uint64_t>(i) * 0x9e3779b97f4a7c15ULL);
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ULL;
  return x ^ (x >> 29);
}

class ViewFacts {
 public:
  /// Whether anything the views show changed since the last call (true on the first).
  bool changed(const Workspace& workspace) {
    touched_.clear();
    const bool partial = primed_ && workspace.changes().read(cursor_, touched_);
    cursor_ = workspace.changes().position();
    if (!partial) return rebuild(workspace);
    bool differs = false;
    std::vector<const EnvironmentState*> envs;  // each touched environment once
    for (const auto& [env, i] : touched_) {
      auto it = envs_.find(env);
      if (it == envs_.end() || i >= it->second.revisions.size() ||
          it->second.revisions.size() != env->graph.revisions.size())
        return rebuild(workspace);  // not what the log says: start over
      Env& e = it->second;
      if (std::find(envs.begin(), envs.end(), env) == envs.end()) envs.push_back(env);
      const uint64_t h = revision_facts_hash(*env, i);
      if (h == e.revisions[i]) continue;
      e.sum += placed(i, h) - placed(i, e.revisions[i]);
      e.revisions[i] = h;
      differs = true;
    }
    for (const EnvironmentState* env : envs) {
      Env& e = envs_[env];
      const uint64_t ends = ends_hash(*env);
      differs = differs || ends != e.ends;
      e.ends = ends;
    }
    if (differs) whole_ = whole(workspace, envs_);
    return differs;
  }

 private:
  struct Env {
    std::vector<uint64_t> revisions;
    uint64_t sum = 0;
    uint64_t ends = 0;
  };

  // Over every environment's sum and ends, in the workspace's order: O(environments).
  static uint64_t whole(const Workspace& workspace,
                        const std::unordered_map<const EnvironmentState*, Env>& envs) {
    Fingerprint all;
    for (const auto& env : workspace.environments()) {
      const Env& e = envs.at(env.get());
      all.add(std::string_view(reinterpret_cast<const char*>(&e.sum), sizeof e.sum));
      all.add(std::string_view(reinterpret_cast<const char*>(&e.ends), sizeof e.ends));
    }
    return all.value();
  }

  bool rebuild(const Workspace& workspace) {
    std::unordered_map<const EnvironmentState*, Env> next;
    for (const auto& env : workspace.environments()) {
      Env& e = next[env.get()];
      e.revisions.resize(env->graph.revisions.size());
      for (size_t i = 0; i < e.revisions.size(); ++i) {
        e.revisions[i] = revision_facts_hash(*env, i);
        e.sum += placed(i, e.revisions[i]);
      }
      e.ends = ends_hash(*env);
    }
    const uint64_t now = whole(workspace, next);
    const bool differs = !primed_ || now != whole_;
    envs_ = std::move(next);
    whole_ = now;
    primed_ = true;
    return differs;
  }

  bool primed_ = false;
  uint64_t cursor_ = 0;
  uint64_t whole_ = 0;  ///< over every environment's sum and ends, in order
  std::unordered_map<const EnvironmentState*, Env> envs_;
  std::vector<std::pair<const EnvironmentState*, size_t>> touched_;
};

}  // namespace

void register_view_refresh(Session& session) {
  session.core.after_change.push_back([&session, facts = ViewFacts()]() mutable {
    if (!session.client.code_lens_refresh && !session.client.inlay_hint_refresh) return;
    if (!facts.changed(session.core.workspace())) return;
    auto ignore = [](const protocol::Reply&) {};
    if (session.client.code_lens_refresh)
      session.endpoint.send_request("workspace/codeLens/refresh", nullptr, ignore);
    if (session.client.inlay_hint_refresh)
      session.endpoint.send_request("workspace/inlayHint/refresh", nullptr, ignore);
  });
}

}  // namespace alembic::server
