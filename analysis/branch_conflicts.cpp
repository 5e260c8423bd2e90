#include "analysis/branch_conflicts.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/graph_internal.h"
#include "analysis/operations.h"

namespace alembic {

namespace {

// Each revision's parents as indexes into graph.revisions (the copy Alembic's map keeps,
// as reachable() walks), in compressed rows: those of r are at[first[r] .. first[r + 1]).
// Taken from the analysis' own integer graph (graph_internal.h) where it holds them: a
// lookup by id per revision costs 30-50 ms at 100,000 (cache misses in the id table).
struct Parents {
  std::vector<uint32_t> first, at;
  /// False when `tick` said stop before every row was filled.
  template <class Tick>
  bool fill(const GraphAnalysis& graph, Tick&& tick) {
    first.assign(graph.revisions.size() + 1, 0);
    at.clear();
    at.reserve(graph.revisions.size());
    const detail::Memo* memo = graph.memo.state.get();
    const bool built = memo && memo->revisions_data == graph.revisions.data() &&
                       memo->revisions_size == graph.revisions.size() &&
                       memo->parts.nodes.size() == graph.revisions.size();
    for (size_t r = 0; r < graph.revisions.size(); ++r) {
      if (tick()) return false;
      // The analysis resolves the edges of the copies Alembic walks, self-loops aside;
      // any other revision's parents are looked up by id, as reachable() does.
      const detail::Node* node = built ? &memo->parts.nodes[r] : nullptr;
      if (node && node->contributes_edges && !node->self_loop &&
          node->parents.size() + node->unknown_links >= graph.revisions[r].down_revisions.size()) {
        for (uint32_t i = node->parents.begin; i < node->parents.end; ++i)
          at.push_back(memo->parts.parents[i].node);
      } else {
        for (const std::string& parent : graph.revisions[r].down_revisions)
          if (long p = graph.find(parent); p >= 0) at.push_back(static_cast<uint32_t>(p));
      }
      first[r + 1] = static_cast<uint32_t>(at.size());
    }
    return true;
  }
  template <class F>
  void each(size_t r, F&& f) const {
    for (uint32_t i = first[r]; i < first[r + 1]; ++i) f(static_cast<size_t>(at[i]));
  }
};

// The revisions only `head` reaches (itself included), nearest first, at most
// kMaxBranchRevisions, stopping at those `in_common` says both heads reach.
template <class InCommon>
std::vector<size_t> branch_of(const Parents& parents, size_t head, InCommon in_common) {
  std::vector<size_t> out;
  std::set<size_t> seen{head};
  std::vector<size_t> queue{head};
  for (size_t i = 0; i < queue.size() && out.size() < kMaxBranchRevisions; ++i) {
    const size_t r = queue[i];
    if (in_common(r)) continue;
    out.push_back(r);
    parents.each(r, [&](size_t p) {
      if (seen.insert(p).second) queue.push_back(p);
    });
  }
  return out;
}

}  // namespace

TableTouches table_touches(const std::string& path, const MigrationOperations& operations) {
  TableTouches tables;
  for (const Operation& op : operations.upgrade.operations) {
    if (!changes_schema(op.kind) || !op.table.literal()) continue;
    TableTouch& t = tables[op.table.text];
    t.places.push_back({{path, op.range}, describe(op)});
    if (op.column.literal()) t.columns.insert(op.column.text);
    if (op.kind == OpKind::RenameTable && op.new_name.literal()) {
      TableTouch& renamed = tables[op.new_name.text];
      renamed.places.push_back({{path, op.range}, describe(op)});
    }
  }
  return tables;
}

bool branch_pairs(const GraphAnalysis& graph, const std::function<bool()>& stop,
                  std::vector<BranchPair>& out) {
  out.clear();
  const std::vector<size_t>& heads = graph.head_indexes;
  if (heads.size() < 2 || heads.size() > 20) return true;
  // `stop` is asked once every 4,096 steps: well under a millisecond apart.
  size_t steps = 0;
  auto tick = [&] { return stop && (++steps & 4095) == 0 && stop(); };
  const size_t n = graph.revisions.size();
  Parents parents;
  if (!parents.fill(graph, tick)) return false;
  // above[r]: bit h set when r is reachable from heads[h] in one or more steps (as
  // reachable(graph, {heads[h]}, Walk::Parents) says).
  std::vector<uint32_t> above(n, 0);
  std::vector<size_t> queue;
  for (size_t h = 0; h < heads.size(); ++h) {
    const uint32_t bit = uint32_t{1} << h;
    queue.assign(1, heads[h]);
    for (size_t i = 0; i < queue.size(); ++i) {
      if (tick()) return false;
      parents.each(queue[i], [&](size_t p) {
        if (!(above[p] & bit)) above[p] |= bit, queue.push_back(p);
      });
    }
  }
  // Which pairs of heads share an ancestor: read off the distinct sets of heads.
  std::set<uint32_t> shared;
  uint32_t last = 0;
  for (uint32_t m : above)
    if (m != last && (m & (m - 1))) shared.insert(last = m);
  for (size_t a = 0; a < heads.size(); ++a)
    for (size_t b = a + 1; b < heads.size(); ++b) {
      if (graph.revisions[heads[a]].id == graph.revisions[heads[b]].id) continue;
      const uint32_t both = (uint32_t{1} << a) | (uint32_t{1} << b);
      if (std::none_of(shared.begin(), shared.end(),
                       [&](uint32_t m) { return (m & both) == both; }))
        continue;  // separate histories (labelled branches with their own bases)
      auto in_common = [&](size_t r) { return (above[r] & both) == both; };
      out.push_back({heads[a], heads[b], branch_of(parents, heads[a], in_common),
                     branch_of(parents, heads[b], in_common)});
    }
  return true;
}

std::vector<BranchPair> branch_pairs(const GraphAnalysis& graph) {
  std::vector<BranchPair> out;
  branch_pairs(graph, {}, out);
  return out;
}

void add_branch_conflicts(const GraphAnalysis& graph, const std::vector<BranchPair>& pairs,
                          const TouchesOf& touches_of, std::vector<Finding>& out,
                          std::set<std::string>* tables) {
  for (const BranchPair& pair : pairs) {
    auto side = [&](const std::vector<size_t>& branch) {
      TableTouches joined;
      for (size_t r : branch)
        for (const auto& [table, t] : touches_of(r)) {
          TableTouch& into = joined[table];
          into.places.insert(into.places.end(), t.places.begin(), t.places.end());
          into.columns.insert(t.columns.begin(), t.columns.end());
        }
      return joined;
    };
    const TableTouches left = side(pair.branch_a), right = side(pair.branch_b);
    const std::string& id_a = graph.revisions[pair.head_a].id;
    const std::string& id_b = graph.revisions[pair.head_b].id;
    for (const auto& [table, l] : left) {
      auto r = right.find(table);
      if (r == right.end()) continue;
      if (tables) tables->insert(table);
      std::vector<std::string> both;
      for (const std::string& c : l.columns)
        if (r->second.columns.count(c)) both.push_back(table + "." + c);
      Finding f;
      f.code = std::string(rule_of(Code::BranchConflict).code);
      f.severity = rule_of(Code::BranchConflict).default_severity;
      f.message = fit("2 branches both alter table " + brief(table, 30) + " (heads " +
                          brief(id_a, 12) + " and " + brief(id_b, 12) + ").",
                      "2 branches both alter table " + brief(table, 30) + ".");
      f.detail = both.empty() ? "Merging the heads runs both branches' changes to it in an order "
                                "neither was tested in."
                              : "Both change " + join_ids(both, 10) +
                                    ": merging the heads runs the two changes in an order neither "
                                    "was tested in.";
      f.detail += " Compare the migrations (related locations) before merging.";
      f.location = r->second.places.front().location;
      f.revisions = {id_a, id_b};
      std::sort(f.revisions.begin(), f.revisions.end());
      std::vector<RelatedLocation> others;
      for (const RelatedLocation& p : l.places)
        others.push_back({p.location, "head " + id_a + "'s branch: " + p.message});
      for (size_t i = 1; i < r->second.places.size(); ++i)
        others.push_back({r->second.places[i].location,
                          "head " + id_b + "'s branch: " + r->second.places[i].message});
      add_related_capped(f, std::move(others), "changes");
      out.push_back(std::move(f));
    }
  }
}

void add_branch_conflicts(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                          const SourceLoader& load, std::vector<Finding>& out,
                          std::set<std::string>* tables) {
  const std::vector<BranchPair> pairs = branch_pairs(graph);
  // Every revision's operations, read once.
  std::map<size_t, TableTouches> touched;
  auto touches_of = [&](size_t revision) -> const TableTouches& {
    auto it = touched.find(revision);
    if (it != touched.end()) return it->second;
    TableTouches& tables_of = touched[revision];
    const Script& script = scripts[graph.revisions[revision].script];
    if (const std::optional<std::string> source = load(script.path))
      tables_of = table_touches(script.path, read_operations(*source));
    return tables_of;
  };
  add_branch_conflicts(graph, pairs, touches_of, out, tables);
}

std::string merge_conflict_note(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                                const SourceLoader& load) {
  std::vector<Finding> conflicts;
  std::set<std::string> tables;
  add_branch_conflicts(graph, scripts, load, conflicts, &tables);
  if (tables.empty()) return "";
  std::set<std::string> heads;
  for (const Finding& f : conflicts) heads.insert(f.revisions.begin(), f.revisions.end());
  std::vector<std::string> names(tables.begin(), tables.end());
  for (std::string& n : names) n = brief(n, 30);
  return std::to_string(heads.size()) + " branches both alter " +
         (names.size() == 1 ? "table " : "tables ") + join_ids(names, 3);
}

}  // namespace alembic
