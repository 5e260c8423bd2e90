// Branch label propagation with the result of Alembic's RevisionMap._add_branches.
//
// Alembic, for each revision R carrying labels: (1) gives R's labels to every
// down_revision descendant of R; (2) starting from the LAST descendant its traversal
// yielded, walks down through down_revision, labelling each revision until one is a
// "real" branch point (more than one child counting depends_on dependents) or a merge
// point. Step (2) only gets below R when R's descendants form a single unbranched chain
// (otherwise the walk stops at a branch point at or above R), so the walk reaches a
// revision p exactly when p and everything from p up to the end of its chain passes the
// test. Hence, per revision p:
//   effective(p) = labels of p's ancestors (incl. p)  ∪  (chain_ok(p) ? labels of p's chain : ∅)
// computed in two linear passes over the strongly connected components (ancestors first,
// then descendants first)
// instead of Alembic's walk per labelled revision. Label sets are shared between
// revisions until they differ, so unlabelled chains cost nothing.
#include <algorithm>
#include <unordered_map>

#include "analysis/graph_internal.h"

namespace alembic::detail {

namespace {

using LabelSet = std::vector<uint32_t>;  // sorted key ids

}  // namespace

uint32_t add_label_set(BuildParts& b, std::vector<uint32_t> set) {
  if (set.empty()) return 0;
  auto [it, inserted] =
      b.label_index.emplace(std::move(set), static_cast<uint32_t>(b.label_sets.size()));
  if (inserted) b.label_sets.push_back(it->first);
  return it->second;
}

uint32_t unite_label_sets(BuildParts& b, uint32_t x_id, uint32_t y_id) {
  // Without copying when one side already contains the other.
  if (x_id == y_id || y_id == 0) return x_id;
  if (x_id == 0) return y_id;
  const std::vector<uint32_t>& x = b.label_sets[x_id];
  const std::vector<uint32_t>& y = b.label_sets[y_id];
  if (std::includes(x.begin(), x.end(), y.begin(), y.end())) return x_id;
  if (std::includes(y.begin(), y.end(), x.begin(), x.end())) return y_id;
  std::vector<uint32_t> u;
  u.reserve(x.size() + y.size());
  std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(u));
  return add_label_set(b, std::move(u));
}

bool label_chain_passes(const Node& n) {
  return n.next_count <= 1 && n.down_count <= 1;
}

const SharedStrings& label_names_of(BuildParts& b, uint32_t set) {
  if (b.label_names.size() <= set) {
    b.label_names.resize(b.label_sets.size());
    b.label_names_known.resize(b.label_sets.size(), 0);
  }
  if (set != 0 && !b.label_names_known[set]) {
    std::vector<std::string> names;
    for (uint32_t k : b.label_sets[set])
      if (b.key_names[k].empty() || b.key_names[k][0] != '\x01') names.push_back(b.key_names[k]);
    std::sort(names.begin(), names.end());
    b.label_names[set] = SharedStrings(std::move(names));
    b.label_names_known[set] = 1;
  }
  return b.label_names[set];
}

void propagate_branch_labels(Build& b) {
  // The one-script path never edits a labelled script nor gives one labels: a history
  // that had no labels still has none, and every effective_labels list stays empty.
  if (b.updated_node != kNoNode && b.key_names.empty() && b.label_set.empty()) return;
  if (b.updated_node != kNoNode && propagate_labels_after_edit(b)) return;
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  b.label_set.clear();
  b.label_sets.assign(1, {});  // set 0 is the empty set
  b.label_names.assign(1, SharedStrings());
  b.label_names_known.assign(1, 1);
  b.label_index.clear();
  b.label_index.emplace(std::vector<uint32_t>{}, 0);
  b.key_names.clear();
  b.label_own.clear();
  b.label_down.clear();
  b.label_chain.clear();
  b.label_chain_ok.clear();
  std::vector<std::string> key_names;
  std::unordered_map<std::string, uint32_t> key_ids;
  std::vector<uint32_t> own(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    if (!b.nodes[i].labelled) continue;  // own[i] stays the empty set
    const AssignedValue& labels = b.nodes[i].script->parsed.branch_labels;
    LabelSet keys;
    auto intern = [&](std::string key) {
      auto [it, inserted] =
          key_ids.emplace(std::move(key), static_cast<uint32_t>(key_names.size()));
      if (inserted) key_names.push_back(it->first);
      keys.push_back(it->second);
    };
    for (const StringValue& s : labels.strings) intern(s.text);
    // Unknown label expressions still mark a branch as intended: keep them apart.
    for (const UnresolvedValue& u : labels.unresolved) intern("\x01" + u.expression);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    own[i] = add_label_set(b, std::move(keys));
  }
  if (key_names.empty()) {  // no labels anywhere: nothing to propagate
    for (Revision& rev : b.out.revisions) rev.effective_labels.clear();
    b.label_sets.clear();
    b.label_index.clear();
    b.label_names.clear();
    b.label_names_known.clear();
    return;
  }

  // Alembic accepts some cycles (those through a merge point), and its traversals then
  // reach every member: work on the components of the child graph. Component ids come
  // in completion order, i.e. descendants before ancestors.
  std::vector<uint32_t> comp;
  uint32_t comps = 0;
  if (b.duplicated.empty() && b.scc.size() == n) {
    // Every revision contributes its own edges: the child graph is the down_revision
    // graph reversed, with the same components, which find_cycles numbered ancestors
    // first. Reversed, that is the order wanted here.
    comps = b.scc_count;
    comp.resize(n);
    for (uint32_t v = 0; v < n; ++v) comp[v] = comps - 1 - b.scc[v];
  } else {
    Csr children;
    children.offsets.reserve(n + 1);
    for (uint32_t v = 0; v < n; ++v) {
      std::span<const uint32_t> row = b.children_of(v);
      children.targets.insert(children.targets.end(), row.begin(), row.end());
      children.offsets.push_back(static_cast<uint32_t>(children.targets.size()));
    }
    comps = strongly_connected(children, comp, nullptr);
  }
  std::vector<uint32_t> start(comps + 1, 0), members(n);
  for (uint32_t v = 0; v < n; ++v) ++start[comp[v] + 1];
  for (uint32_t c = 0; c < comps; ++c) start[c + 1] += start[c];
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (uint32_t v = 0; v < n; ++v) members[fill[comp[v]]++] = v;
  }

  // Pass 1, ancestors first: every label of an ancestor (or of a fellow cycle member).
  std::vector<uint32_t> down(own);
  for (uint32_t c = comps; c-- > 0;) {
    uint32_t set = 0;
    for (uint32_t k = start[c]; k < start[c + 1]; ++k)
      set = unite_label_sets(b, set, down[members[k]]);
    for (uint32_t k = start[c]; k < start[c + 1]; ++k) {
      uint32_t v = members[k];
      down[v] = set;
      for (uint32_t child : b.children_of(v)) down[child] = unite_label_sets(b, down[child], set);
    }
  }

  // Pass 2, descendants first: labels of the unbranched chain above. A cycle member never
  // qualifies: an accepted cycle holds a merge point, which stops Alembic's walk.
  std::vector<uint32_t> chain(n, 0);
  std::vector<char> chain_ok(n, 0);
  for (uint32_t c = 0; c < comps; ++c) {
    if (start[c + 1] - start[c] != 1) continue;
    uint32_t v = members[start[c]];
    const Node& node = b.nodes[v];
    if (!label_chain_passes(node)) continue;
    if (node.children.empty()) {
      chain_ok[v] = 1;
      chain[v] = own[v];
    } else if (uint32_t child = b.children_of(v)[0]; child != v && chain_ok[child]) {
      chain_ok[v] = 1;
      chain[v] = unite_label_sets(b, own[v], chain[child]);
    }
  }

  // A stale duplicate mapped under its own label walks from itself into the canonical
  // history (its traversal yields only itself); rare, so walked literally.
  std::vector<uint32_t> extra(n, 0);
  for (uint32_t i = 0; i < n; ++i) {
    const Node& node = b.nodes[i];
    if (node.canonical == i || own[i] == 0 || !label_chain_passes(node) || node.parents.empty())
      continue;
    uint32_t p = b.parents_of(i)[0].node;
    for (uint32_t steps = 0; steps < n && p != kNoNode && label_chain_passes(b.nodes[p]); ++steps) {
      extra[p] = unite_label_sets(b, extra[p], own[i]);
      p = b.nodes[p].parents.empty() ? kNoNode : b.parents_of(p)[0].node;
    }
  }

  b.label_set.assign(n, 0);
  b.key_names = std::move(key_names);
  bool any_extra = false;
  for (uint32_t i = 0; i < n; ++i) {
    any_extra = any_extra || extra[i] != 0;
    uint32_t all = unite_label_sets(b, unite_label_sets(b, down[i], chain[i]), extra[i]);
    b.label_set[i] = all;
    // Revisions with the same set share one list of names.
    b.out.revisions[i].effective_labels = label_names_of(b, all);
  }
  // What the one-script path starts from (not with stale duplicates' extra labels: that
  // path never runs with duplicated ids).
  if (!any_extra) {
    b.label_own = std::move(own);
    b.label_down = std::move(down);
    b.label_chain = std::move(chain);
    b.label_chain_ok = std::move(chain_ok);
  }
}

}  // namespace alembic::detail
