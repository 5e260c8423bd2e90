// Branch labels after an edit of one revision's down_revision or depends_on (the
// one-script path of analyze_into), from the propagation's kept working values:
//   down(v)  = own(v) ∪ down(p) for every parent p          (ancestors first)
//   chain(v) = own(v) ∪ chain(first child), when the chain qualifies (descendants first)
// (see graph_labels.cpp). An edit changes down() of the edited revision and, through it,
// of its descendants, and chain() of the revisions whose children or merge status
// changed and of the chains above them. Each is recomputed in topological order only
// while values change, so an edit costs the revisions whose labels it really changes.
#include <functional>
#include <queue>
#include <unordered_set>
#include <utility>
#include <vector>

#include "analysis/graph_internal.h"

namespace alembic::detail {

bool propagate_labels_after_edit(Build& b) {
  const size_t n = b.nodes.size();
  const uint32_t m = b.updated_node;
  if (m == kNoNode || b.label_own.size() != n || b.label_down.size() != n ||
      b.label_chain.size() != n || b.label_chain_ok.size() != n || b.label_set.size() != n)
    return false;
  // A topological order (find_cycles' numbering, ancestors first) is needed: no cycles,
  // no self-loops, no duplicated ids (whose stale copies carry extra labels).
  if (!b.duplicated.empty() || b.scc.size() != n || b.scc_count != n || !b.self_loop_nodes.empty())
    return false;

  std::vector<uint32_t> changed;
  using Item = std::pair<uint32_t, uint32_t>;  // (position in the order, node)

  // Labels from ancestors: from the edited revision down through its descendants.
  {
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> next;  // ancestors first
    std::unordered_set<uint32_t> done;
    next.push({b.scc[m], m});
    while (!next.empty()) {
      const uint32_t v = next.top().second;
      next.pop();
      if (!done.insert(v).second) continue;
      uint32_t set = b.label_own[v];
      for (const Ref& p : b.parents_of(v)) set = unite_label_sets(b, set, b.label_down[p.node]);
      if (set == b.label_down[v]) continue;  // nothing below changes through v
      b.label_down[v] = set;
      changed.push_back(v);
      for (uint32_t c : b.children_of(v)) next.push({b.scc[c], c});
    }
  }

  // Labels of the unbranched chain: from the revisions whose children or merge status
  // changed, up through their parents.
  {
    std::priority_queue<Item> next;  // descendants first
    std::unordered_set<uint32_t> done;
    next.push({b.scc[m], m});
    for (uint32_t r : b.rewritten) next.push({b.scc[r], r});
    while (!next.empty()) {
      const uint32_t v = next.top().second;
      next.pop();
      if (!done.insert(v).second) continue;
      char ok = 0;
      uint32_t set = 0;
      const Node& node = b.nodes[v];
      if (label_chain_passes(node)) {
        if (node.children.empty()) {
          ok = 1;
          set = b.label_own[v];
        } else if (uint32_t child = b.children_of(v)[0]; child != v && b.label_chain_ok[child]) {
          ok = 1;
          set = unite_label_sets(b, b.label_own[v], b.label_chain[child]);
        }
      }
      if (ok == b.label_chain_ok[v] && set == b.label_chain[v]) continue;
      b.label_chain_ok[v] = ok;
      b.label_chain[v] = set;
      changed.push_back(v);
      for (const Ref& p : b.parents_of(v)) next.push({b.scc[p.node], p.node});
    }
  }

  for (uint32_t v : changed) {
    const uint32_t all = unite_label_sets(b, b.label_down[v], b.label_chain[v]);
    if (all == b.label_set[v]) continue;
    b.label_set[v] = all;
    b.out.revisions[v].effective_labels = label_names_of(b, all);
  }
  return true;
}

}  // namespace alembic::detail
