// Inverts the resolved references into the rows Alembic walks forwards (children,
// dependents: add_nextrev) and reads the graph's facts off them (heads, bases, branch and
// merge points, connected pieces). Both passes can patch the previous analysis's lists.
#include <algorithm>
#include <numeric>

#include "analysis/graph_internal.h"

namespace alembic::detail {

namespace {

// Scatters edges child -> parent into parent -> children rows (load order kept), then
// drops repeats within each row.
void invert(Build& b, Span Node::*from, const std::vector<Ref>& edges, Span Node::*to,
            std::vector<uint32_t>& rows) {
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  std::vector<uint32_t> count(n + 1, 0);
  for (uint32_t i = 0; i < n; ++i)
    if (b.nodes[i].contributes_edges)
      for (uint32_t e = (b.nodes[i].*from).begin; e < (b.nodes[i].*from).end; ++e)
        ++count[edges[e].node + 1];
  for (uint32_t i = 0; i < n; ++i) count[i + 1] += count[i];
  rows.assign(count[n], 0);
  for (uint32_t i = 0; i < n; ++i) (b.nodes[i].*to) = Span{count[i], count[i]};
  for (uint32_t i = 0; i < n; ++i) {
    if (!b.nodes[i].contributes_edges) continue;
    for (uint32_t e = (b.nodes[i].*from).begin; e < (b.nodes[i].*from).end; ++e) {
      Span& row = b.nodes[edges[e].node].*to;
      rows[row.end++] = b.nodes[i].canonical;
    }
  }
  std::vector<uint32_t> stamp(n, kNoNode);
  for (uint32_t i = 0; i < n; ++i) {
    Span& row = b.nodes[i].*to;
    if (row.size() < 2) continue;
    uint32_t kept = row.begin;
    for (uint32_t k = row.begin; k < row.end; ++k) {
      if (stamp[rows[k]] == i) continue;
      stamp[rows[k]] = i;
      rows[kept++] = rows[k];
    }
    row.end = kept;
  }
}

bool same_row(const std::vector<uint32_t>& a, Span x, const std::vector<uint32_t>& b, Span y) {
  return x.size() == y.size() &&
         std::equal(a.begin() + x.begin, a.begin() + x.end, b.begin() + y.begin);
}

}  // namespace

// Alembic's add_nextrev over the map's revisions: nextrev (children) and _all_nextrev.
// `patch`: the revisions' children and dependents lists hold the previous analysis's;
// only rows that differ are rewritten.
void link_children(Build& b, bool patch) {
  if (patch && relink_one(b)) return;
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  b.rewritten.clear();
  std::vector<uint32_t> old_children, old_dependents;
  std::vector<Span> old_spans;
  if (patch) {
    old_children = b.children;
    old_dependents = b.dependents;
    old_spans.reserve(2 * n);
    for (const Node& node : b.nodes) {
      old_spans.push_back(node.children);
      old_spans.push_back(node.dependents);
    }
  }
  invert(b, &Node::parents, b.parents, &Node::children, b.children);
  if (!b.deps.empty()) {
    invert(b, &Node::deps, b.deps, &Node::dependents, b.dependents);
  } else {
    b.dependents.clear();
    for (Node& node : b.nodes) node.dependents = Span{};
  }
  std::vector<uint32_t> stamp(n, kNoNode);
  for (uint32_t i = 0; i < n; ++i) {
    Node& node = b.nodes[i];
    Revision& rev = b.out.revisions[i];
    uint32_t next = node.children.size();
    if (!node.dependents.empty()) {
      for (uint32_t c : b.children_of(i)) stamp[c] = i;
      for (uint32_t d : b.dependents_of(i)) next += stamp[d] != i;
    }
    node.next_count = next;
    bool rewrite = false;
    if (!patch || !same_row(old_dependents, old_spans[2 * i + 1], b.dependents, node.dependents)) {
      rewrite = true;
      rev.dependents.clear();
      for (uint32_t d : b.dependents_of(i)) rev.dependents.push_back(b.out.revisions[d].id);
    }
    if (!patch || !same_row(old_children, old_spans[2 * i], b.children, node.children)) {
      rewrite = true;
      rev.children.clear();
      rev.children.reserve(node.children.size());
      for (uint32_t c : b.children_of(i)) rev.children.push_back(b.out.revisions[c].id);
    }
    if (patch && rewrite) b.rewritten.push_back(i);  // children or dependents changed
  }
}

// `patch`: out.branch_points and out.merge_points hold the previous analysis's, which
// stand unless a branch or merge point came or went or a branch point's children changed.
// After the one-script path (updated_node set), only the edited revision and the
// revisions whose rows were rewritten can have changed status: the lists are patched
// instead of scanning every revision.
void collect_graph_facts(Build& b, bool patch) {
  GraphAnalysis& out = b.out;
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  auto is_branch = [&](uint32_t i) { return b.nodes[i].children.size() > 1; };
  auto is_merge = [&](uint32_t i) { return b.nodes[i].down_count > 1; };
  std::vector<uint32_t> branch_nodes = b.branch_nodes, merge_nodes = b.merge_nodes;
  std::vector<uint32_t> recheck;  // after the one-script path: the only revisions that changed
  const bool one_script = patch && b.updated_node != kNoNode && b.lists_size == n;
  if (one_script) {
    recheck = b.rewritten;
    recheck.push_back(b.updated_node);
    std::sort(recheck.begin(), recheck.end());
    recheck.erase(std::unique(recheck.begin(), recheck.end()), recheck.end());
    repatch(b.head_nodes, recheck, [&](uint32_t i) { return b.is_head(i); });
    repatch(b.real_head_nodes, recheck,
            [&](uint32_t i) { return b.is_head(i) && b.nodes[i].dependents.empty(); });
    repatch(b.base_nodes, recheck, [&](uint32_t i) { return b.nodes[i].is_base; });
    repatch(branch_nodes, recheck, is_branch);
    repatch(merge_nodes, recheck, is_merge);
  } else {
    b.head_nodes.clear();
    b.real_head_nodes.clear();
    b.base_nodes.clear();
    branch_nodes.clear();
    merge_nodes.clear();
    for (uint32_t i = 0; i < n; ++i) {
      const Node& node = b.nodes[i];
      if (node.children.empty()) {
        b.head_nodes.push_back(i);
        if (node.dependents.empty()) b.real_head_nodes.push_back(i);
      }
      if (node.is_base) b.base_nodes.push_back(i);
      if (is_branch(i)) branch_nodes.push_back(i);
      if (is_merge(i)) merge_nodes.push_back(i);
    }
    b.lists_size = n;
  }
  for (uint32_t i : b.head_nodes) {
    out.heads.push_back(out.revisions[i].id);
    out.head_indexes.push_back(i);
  }
  for (uint32_t i : b.real_head_nodes) out.real_heads.push_back(out.revisions[i].id);
  for (uint32_t i : b.base_nodes) {
    out.bases.push_back(out.revisions[i].id);
    out.base_indexes.push_back(i);
  }
  bool branches_same = patch && branch_nodes == b.branch_nodes;
  for (uint32_t r : b.rewritten)
    if (b.nodes[r].children.size() > 1) branches_same = false;
  if (one_script) {
    // Ids are unique on this path: only the rechecked revisions' entries can differ.
    for (uint32_t i : recheck) {
      if (!is_branch(i)) {
        out.branch_points.erase(out.revisions[i].id);
        continue;
      }
      std::vector<std::string>& kids = out.branch_points[out.revisions[i].id];
      kids = out.revisions[i].children;
      std::sort(kids.begin(), kids.end());
    }
  } else if (!branches_same) {
    out.branch_points.clear();
    for (uint32_t i : branch_nodes) {
      std::vector<std::string>& kids = out.branch_points[out.revisions[i].id];
      kids = out.revisions[i].children;
      std::sort(kids.begin(), kids.end());
    }
  }
  if (!patch || merge_nodes != b.merge_nodes) {
    out.merge_points.clear();
    for (uint32_t i : merge_nodes) out.merge_points.push_back(out.revisions[i].id);
    std::sort(out.merge_points.begin(), out.merge_points.end());
    out.merge_points.erase(std::unique(out.merge_points.begin(), out.merge_points.end()),
                           out.merge_points.end());
  }
  b.branch_nodes = std::move(branch_nodes);
  b.merge_nodes = std::move(merge_nodes);
}

namespace {

uint32_t find_root(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

}  // namespace

// Weakly connected pieces of the down_revision graph: separate histories.
void find_components(Build& b) {
  std::vector<uint32_t> parent(b.nodes.size());
  std::iota(parent.begin(), parent.end(), 0u);
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    for (const Ref& p : b.parents_of(i)) {
      uint32_t x = find_root(parent, i), y = find_root(parent, p.node);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
  }
  for (uint32_t i = 0; i < b.nodes.size(); ++i) b.nodes[i].component = find_root(parent, i);
}

}  // namespace alembic::detail
