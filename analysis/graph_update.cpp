// The one-script path of analyze_into: an edit of one script's down_revision or
// depends_on re-resolves that revision only and rewrites only the child rows it
// touches (see AnalysisMemo in graph.h).
#include <algorithm>

#include "analysis/graph.h"
#include "analysis/graph_internal.h"

namespace alembic::detail {

namespace {

// Rewrites a flat edge array without the spans no node uses any more.
void compact(std::vector<Node>& nodes, Span Node::*span, std::vector<Ref>& edges) {
  std::vector<Ref> kept;
  kept.reserve(edges.size() / 2 + 1);
  for (Node& node : nodes) {
    Span& s = node.*span;
    uint32_t begin = static_cast<uint32_t>(kept.size());
    kept.insert(kept.end(), edges.begin() + s.begin, edges.begin() + s.end);
    s = Span{begin, static_cast<uint32_t>(kept.size())};
  }
  edges = std::move(kept);
}

// |children ∪ dependents| of node i (Alembic's _all_nextrev).
uint32_t next_count_of(const Build& b, uint32_t i) {
  uint32_t next = b.nodes[i].children.size();
  for (uint32_t d : b.dependents_of(i)) {
    std::span<const uint32_t> kids = b.children_of(i);
    next += std::find(kids.begin(), kids.end(), d) == kids.end();
  }
  return next;
}

// Row `span` of `rows` without `m`, plus `m` when `add`: rows are sorted by child (load
// order, ids being unique here), so `m` goes in its place. The new row is appended.
void rewrite_row(std::vector<uint32_t>& rows, Span& span, uint32_t m, bool add) {
  const uint32_t begin = static_cast<uint32_t>(rows.size());
  bool placed = !add;
  for (uint32_t k = span.begin; k < span.end; ++k) {
    uint32_t c = rows[k];
    if (c == m) continue;
    if (!placed && c > m) {
      rows.push_back(m);
      placed = true;
    }
    rows.push_back(c);
  }
  if (!placed) rows.push_back(m);
  span = Span{begin, static_cast<uint32_t>(rows.size())};
}

}  // namespace

bool update_one(Build& b, const std::vector<uint32_t>& node_of_script, size_t k) {
  if (!b.duplicated.empty() || k >= node_of_script.size()) return false;
  const uint32_t m = node_of_script[k];
  if (m == kNoNode || b.nodes[m].labelled) return false;
  const Script& script = b.scripts[k];
  const ParsedMigration& p = script.parsed;
  if (!p.revision.present && !p.down_revision.present) return false;
  if (!p.branch_labels.strings.empty() || !p.branch_labels.unresolved.empty()) return false;
  Revision& rev = b.out.revisions[m];
  if (revision_id_view(script) != rev.id) return false;

  // The old references point into the replaced ParsedMigration: drop them all.
  b.missing.erase(std::remove_if(b.missing.begin(), b.missing.end(),
                                 [&](const MissingReference& r) { return r.node == m; }),
                  b.missing.end());
  if (is_scalar_empty(p.down_revision)) {
    rev.down_revisions.clear();
  } else {
    assign_texts(rev.down_revisions, p.down_revision.strings);
  }
  b.unknown_links -= b.nodes[m].unknown_links;
  b.old_targets.clear();
  for (const Ref& r : b.parents_of(m)) b.old_targets.push_back(r.node);
  for (const Ref& r : b.deps_of(m)) b.old_targets.push_back(r.node);
  fill_node(script, b.nodes[m]);
  resolve_node(b, m);
  b.updated_node = m;
  b.unknown_links += b.nodes[m].unknown_links;
  std::stable_sort(
      b.missing.begin(), b.missing.end(),
      [](const MissingReference& x, const MissingReference& y) { return x.node < y.node; });
  const size_t n = b.nodes.size();
  if (b.parents.size() > 2 * n + 64) compact(b.nodes, &Node::parents, b.parents);
  if (b.deps.size() > 2 * n + 64) compact(b.nodes, &Node::deps, b.deps);
  return true;
}

bool relink_one(Build& b) {
  const uint32_t m = b.updated_node;
  const size_t n = b.nodes.size();
  if (b.children.size() > 2 * n + 64 || b.dependents.size() > 2 * n + 64) return false;
  std::vector<uint32_t> touched = b.old_targets;
  for (const Ref& r : b.parents_of(m)) touched.push_back(r.node);
  for (const Ref& r : b.deps_of(m)) touched.push_back(r.node);
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  b.rewritten.clear();
  for (uint32_t p : touched) {
    Node& node = b.nodes[p];
    bool parent = false, dependency = false;
    for (const Ref& r : b.parents_of(m)) parent = parent || r.node == p;
    for (const Ref& r : b.deps_of(m)) dependency = dependency || r.node == p;
    rewrite_row(b.children, node.children, m, parent);
    rewrite_row(b.dependents, node.dependents, m, dependency);
    node.next_count = next_count_of(b, p);
    Revision& rev = b.out.revisions[p];
    rev.children.clear();
    for (uint32_t c : b.children_of(p)) rev.children.push_back(b.out.revisions[c].id);
    rev.dependents.clear();
    for (uint32_t d : b.dependents_of(p)) rev.dependents.push_back(b.out.revisions[d].id);
    b.rewritten.push_back(p);
  }
  return true;
}

}  // namespace alembic::detail
