// Cycles in the revision graph. Alembic finds them only indirectly (revisions that are
// not both an ancestor of a head and a descendant of a base) and misses cycles that
// touch a merge point; here every strongly connected component is reported, found with
// an iterative Tarjan so 10,000-member cycles cannot overflow the stack.
#include <algorithm>
#include <iterator>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic::detail {

uint32_t strongly_connected(const Csr& g, std::vector<uint32_t>& comp,
                            std::vector<std::vector<uint32_t>>* cycles) {
  const uint32_t n = static_cast<uint32_t>(g.offsets.size() - 1);
  constexpr uint32_t kUnvisited = UINT32_MAX;
  std::vector<uint32_t> index(n, kUnvisited), low(n, 0);
  std::vector<char> on_stack(n, 0);
  std::vector<uint32_t> stack;
  std::vector<std::pair<uint32_t, uint32_t>> calls;  // node, next edge to look at
  comp.assign(n, kNoNode);
  uint32_t counter = 0, comp_count = 0;
  auto visit = [&](uint32_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = 1;
    calls.emplace_back(v, g.offsets[v]);
  };
  for (uint32_t start = 0; start < n; ++start) {
    if (index[start] != kUnvisited) continue;
    visit(start);
    while (!calls.empty()) {
      uint32_t v = calls.back().first;
      uint32_t& pos = calls.back().second;
      if (pos < g.offsets[v + 1]) {
        uint32_t w = g.targets[pos++];
        if (index[w] == kUnvisited) {
          visit(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      calls.pop_back();
      if (!calls.empty()) {
        uint32_t u = calls.back().first;
        low[u] = std::min(low[u], low[v]);
      }
      if (low[v] != index[v]) continue;
      // Pop the component; only real cycles are copied out (most components are single).
      size_t first = stack.size();
      do --first;
      while (stack[first] != v);
      for (size_t k = first; k < stack.size(); ++k) {
        on_stack[stack[k]] = 0;
        comp[stack[k]] = comp_count;
      }
      if (stack.size() - first > 1 && cycles) {
        std::vector<uint32_t> members(stack.begin() + static_cast<std::ptrdiff_t>(first),
                                      stack.end());
        std::sort(members.begin(), members.end());
        cycles->push_back(std::move(members));
      }
      stack.resize(first);
      ++comp_count;
    }
  }
  return comp_count;
}

namespace {

Csr make_graph(const Build& b, bool with_dependencies) {
  Csr g;
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  g.offsets.reserve(n + 1);
  for (uint32_t i = 0; i < n; ++i) {
    for (const Ref& p : b.parents_of(i))
      if (p.node != i) g.targets.push_back(p.node);  // self-loops are reported on their own
    if (with_dependencies)
      for (const Ref& d : b.deps_of(i))
        if (d.node != i) g.targets.push_back(d.node);
    g.offsets.push_back(static_cast<uint32_t>(g.targets.size()));
  }
  return g;
}

Finding cycle_finding(const Build& b, uint32_t node, std::string message, std::string detail,
                      const StringValue* where) {
  const Script& script = *b.nodes[node].script;
  Finding f;
  f.code = std::string(codes::kRevisionCycle);
  f.severity = Severity::Error;
  f.message = std::move(message);
  f.detail = std::move(detail);
  f.location = Location{script.path, where ? where->range : revision_range(script)};
  return f;
}

// The depends_on string by which revision i names itself, or nullptr: the last string
// equal to its id, else the first resolved dependency on itself (through its own label).
const StringValue* self_dependency(const Build& b, uint32_t i) {
  if (b.nodes[i].deps.empty()) return nullptr;  // a string naming this id would resolve
  const std::string& id = b.out.revisions[i].id;
  const StringValue* self_dep = nullptr;
  for (const StringValue& s : b.nodes[i].script->parsed.depends_on.strings)
    if (s.text == id) self_dep = &s;
  for (const Ref& d : b.deps_of(i))
    if (d.node == i && !self_dep) self_dep = d.text;
  return self_dep;
}

// The nodes report_self_loops and the depends_on check look at: after the one-script
// path only the edited revision can have come or gone.
void refresh_cycle_lists(Build& b) {
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  auto self_loop = [&](uint32_t i) { return b.nodes[i].self_loop != nullptr; };
  auto has_deps = [&](uint32_t i) { return !b.nodes[i].deps.empty(); };
  auto self_dep = [&](uint32_t i) { return self_dependency(b, i) != nullptr; };
  if (b.updated_node != kNoNode && b.cycle_lists_size == n) {
    const std::vector<uint32_t> edited{b.updated_node};
    repatch(b.self_loop_nodes, edited, self_loop);
    repatch(b.dep_nodes, edited, has_deps);
    repatch(b.self_dep_nodes, edited, self_dep);
    return;
  }
  b.self_loop_nodes.clear();
  b.dep_nodes.clear();
  b.self_dep_nodes.clear();
  for (uint32_t i = 0; i < n; ++i) {
    if (self_loop(i)) b.self_loop_nodes.push_back(i);
    if (has_deps(i)) b.dep_nodes.push_back(i);
    if (self_dep(i)) b.self_dep_nodes.push_back(i);
  }
  b.cycle_lists_size = n;
}

void report_self_loops(Build& b) {
  // Both lists in order, each node once: the findings come out as a scan would give them.
  std::vector<uint32_t> nodes;
  nodes.reserve(b.self_loop_nodes.size() + b.self_dep_nodes.size());
  std::merge(b.self_loop_nodes.begin(), b.self_loop_nodes.end(), b.self_dep_nodes.begin(),
             b.self_dep_nodes.end(), std::back_inserter(nodes));
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  for (uint32_t i : nodes) {
    const std::string& id = b.out.revisions[i].id;
    // Alembic checks the literal strings when it constructs the Revision
    // (resolve_references noted the first one naming this id).
    if (const StringValue* s = b.nodes[i].self_loop) {
      Finding f = cycle_finding(b, i,
                                fit("Revision " + id + " names itself as its down_revision.",
                                    "This revision names itself as its down_revision."),
                                "Alembic refuses to load the history (\"Self-loop is detected in "
                                "revisions (" +
                                    id + ")\"); name its parent instead.",
                                s);
      f.revisions = {id};
      b.out.findings.push_back(std::move(f));
    }
    if (const StringValue* self_dep = self_dependency(b, i)) {
      Finding f = cycle_finding(
          b, i, fit("Revision " + id + " depends on itself.", "This revision depends on itself."),
          "Alembic refuses to load the history (\"Dependency self-loop is "
          "detected in revisions (" +
              id + ")\"); remove " + quoted(self_dep->text) + " from depends_on.",
          self_dep);
      f.revisions = {id};
      b.out.findings.push_back(std::move(f));
    }
  }
}

// One finding per member, on the reference that keeps it inside the cycle.
void report_cycle(Build& b, const std::vector<uint32_t>& members, const std::vector<uint32_t>& comp,
                  bool dependency) {
  std::vector<std::string> ids;
  ids.reserve(members.size());
  for (uint32_t m : members) ids.push_back(b.out.revisions[m].id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const uint32_t scc = comp[members.front()];
  const std::string kind = dependency ? "a dependency cycle" : "a cycle";
  const std::string detail =
      std::string("Alembic cannot order them (\"") + (dependency ? "Dependency cycle" : "Cycle") +
      " is detected in revisions (" + join_ids(ids) + ")\"); break the cycle by changing the " +
      (dependency ? "depends_on or down_revision" : "down_revision") + " of one of them.";
  const std::string of_n = " of " + std::to_string(ids.size()) + " revisions.";
  const bool list_all = ids.size() <= kMaxListedRevisions;
  for (uint32_t m : members) {
    const StringValue* where = nullptr;
    uint32_t next = kNoNode;
    if (dependency) {
      for (const Ref& d : b.deps_of(m))
        if (d.node != m && comp[d.node] == scc && !where) where = d.text, next = d.node;
    }
    for (const Ref& p : b.parents_of(m))
      if (p.node != m && comp[p.node] == scc && !where) where = p.text, next = p.node;
    const std::string& id = b.out.revisions[m].id;
    Finding f = cycle_finding(b, m,
                              fit("Revision " + id + " is in " + kind + of_n,
                                  "Revision " + brief(id) + " is in " + kind + of_n),
                              detail, where);
    if (list_all) {
      f.revisions = ids;
      // The member this one points at first: following the related entries walks the cycle.
      std::vector<RelatedLocation> others;
      if (next != kNoNode) {
        const Script& s = *b.nodes[next].script;
        others.push_back(
            {Location{s.path, revision_range(s)}, "next cycle member " + b.out.revisions[next].id});
      }
      for (uint32_t other : members) {
        if (other == m || other == next) continue;
        const Script& s = *b.nodes[other].script;
        others.push_back(
            {Location{s.path, revision_range(s)}, "cycle member " + b.out.revisions[other].id});
      }
      add_related_capped(f, std::move(others), "cycle members");
    } else {
      f.revisions = {b.out.revisions[m].id};
      if (next != kNoNode) {
        f.revisions.push_back(b.out.revisions[next].id);
        const Script& s = *b.nodes[next].script;
        f.related.push_back(
            {Location{s.path, revision_range(s)}, "next cycle member " + b.out.revisions[next].id});
      }
      std::sort(f.revisions.begin(), f.revisions.end());
    }
    b.out.findings.push_back(std::move(f));
  }
}

}  // namespace

// After an edit of one revision's references in an acyclic history, the previous
// numbering still orders the history when each of its new parents comes before it: then
// there is no cycle, and the numbering stands (any topological order serves the passes
// that read it).
bool numbering_still_holds(const Build& b) {
  const uint32_t m = b.updated_node;
  const size_t n = b.nodes.size();
  if (m == kNoNode || b.scc.size() != n || b.scc_count != n) return false;
  for (const Ref& p : b.parents_of(m))
    if (p.node == m || b.scc[p.node] >= b.scc[m]) return false;
  return true;
}

void find_cycles(Build& b) {
  if (b.nodes.empty()) {
    b.scc.clear();
    b.scc_count = 0;
    b.dep_order.clear();
    return;
  }
  refresh_cycle_lists(b);
  report_self_loops(b);
  std::vector<std::vector<uint32_t>> cycles;
  const bool was_ordered = b.deps_ordered;
  const bool numbering_held = numbering_still_holds(b);
  if (!numbering_held) {
    b.scc_count = strongly_connected(make_graph(b, false), b.scc, &cycles);
    for (const auto& members : cycles) report_cycle(b, members, b.scc, false);
  }

  const bool kept_numbering = numbering_held;
  b.deps_ordered = false;
  std::vector<uint32_t> dep_order = std::move(b.dep_order);
  b.dep_order.clear();
  if (b.deps.empty()) return;
  // The combined numbering of the previous analysis still holds when the edited
  // revision's new edges all go to earlier revisions in it: no cycle of either kind.
  if (kept_numbering && cycles.empty() && dep_order.size() == b.nodes.size()) {
    const uint32_t m = b.updated_node;
    bool holds = true;
    for (const Ref& p : b.parents_of(m))
      holds = holds && (p.node == m || dep_order[p.node] < dep_order[m]);
    for (const Ref& d : b.deps_of(m))
      holds = holds && (d.node == m || dep_order[d.node] < dep_order[m]);
    if (holds) {
      b.dep_order = std::move(dep_order);
      return;
    }
  }
  // Without down_revision cycles, component ids order the history (a revision's ancestors
  // come before it): when every depends_on edge also points to an earlier component, the
  // two kinds of edges together cannot close a cycle either. With the numbering kept
  // after a one-script edit, only the edited revision's edges can have changed that.
  if (cycles.empty()) {
    auto ordered_at = [&](uint32_t i) {
      for (const Ref& d : b.deps_of(i))
        if (d.node != i && b.scc[d.node] >= b.scc[i]) return false;
      return true;
    };
    bool ordered = true;
    if (kept_numbering && was_ordered) {
      ordered = ordered_at(b.updated_node);
    } else {
      for (uint32_t i : b.dep_nodes)
        if (!(ordered = ordered_at(i))) break;
    }
    b.deps_ordered = ordered;
    if (ordered) return;
  }
  std::vector<uint32_t> comp;
  const size_t down_cycles = cycles.size();
  const uint32_t comps = strongly_connected(make_graph(b, true), comp, &cycles);
  if (cycles.size() == down_cycles && comps == b.nodes.size()) b.dep_order = comp;  // acyclic
  for (const auto& members : cycles) {
    // Only cycles that need a depends_on edge: pure down_revision ones are reported above.
    bool uses_dependency = false;
    for (uint32_t m : members)
      for (const Ref& d : b.deps_of(m))
        uses_dependency = uses_dependency || (d.node != m && comp[d.node] == comp[m]);
    if (uses_dependency) report_cycle(b, members, comp, true);
  }
}

}  // namespace alembic::detail
