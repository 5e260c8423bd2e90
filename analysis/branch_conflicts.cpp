#include "analysis/branch_conflicts.h"

#include <algorithm>
#include <map>
#include <set>

#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/operations.h"

namespace alembic {

namespace {

// Where a branch changes one table: each operation's file and range, and the columns named.
struct TableTouch {
  std::vector<RelatedLocation> places;
  std::set<std::string> columns;
};

// The revisions only `head` reaches (itself included), nearest first, at most
// kMaxBranchRevisions; `common` marks the ancestors both heads share.
std::vector<size_t> branch_of(const GraphAnalysis& graph, size_t head,
                              const std::vector<bool>& common) {
  std::vector<size_t> out;
  std::vector<bool> seen(graph.revisions.size(), false);
  std::vector<size_t> queue{head};
  seen[head] = true;
  for (size_t i = 0; i < queue.size() && out.size() < kMaxBranchRevisions; ++i) {
    const size_t r = queue[i];
    if (common[r]) continue;
    out.push_back(r);
    for (const std::string& parent : graph.revisions[r].down_revisions) {
      const long p = graph.find(parent);
      if (p >= 0 && !seen[static_cast<size_t>(p)]) {
        seen[static_cast<size_t>(p)] = true;
        queue.push_back(static_cast<size_t>(p));
      }
    }
  }
  return out;
}

}  // namespace

void add_branch_conflicts(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                          const SourceLoader& load, std::vector<Finding>& out,
                          std::set<std::string>* tables) {
  const std::vector<size_t>& heads = graph.head_indexes;
  if (heads.size() < 2 || heads.size() > 20) return;  // 20 heads: a layout, not a conflict
  // Every revision's operations, read once.
  std::map<size_t, std::map<std::string, TableTouch>> touched;
  auto touches_of = [&](size_t revision) -> const std::map<std::string, TableTouch>& {
    auto it = touched.find(revision);
    if (it != touched.end()) return it->second;
    std::map<std::string, TableTouch>& tables = touched[revision];
    const Script& script = scripts[graph.revisions[revision].script];
    const std::optional<std::string> source = load(script.path);
    if (!source) return tables;
    for (const Operation& op : read_operations(*source).upgrade.operations) {
      if (!changes_schema(op.kind) || !op.table.literal()) continue;
      TableTouch& t = tables[op.table.text];
      t.places.push_back({{script.path, op.range}, describe(op)});
      if (op.column.literal()) t.columns.insert(op.column.text);
      if (op.kind == OpKind::RenameTable && op.new_name.literal()) {
        TableTouch& renamed = tables[op.new_name.text];
        renamed.places.push_back({{script.path, op.range}, describe(op)});
      }
    }
    return tables;
  };
  for (size_t a = 0; a < heads.size(); ++a) {
    const std::vector<bool> above_a = reachable(graph, {heads[a]}, Walk::Parents);
    for (size_t b = a + 1; b < heads.size(); ++b) {
      // Two copies of one id are duplicate-revision's business, not a merge's.
      if (graph.revisions[heads[a]].id == graph.revisions[heads[b]].id) continue;
      const std::vector<bool> above_b = reachable(graph, {heads[b]}, Walk::Parents);
      std::vector<bool> common(graph.revisions.size(), false);
      bool any = false;
      for (size_t i = 0; i < common.size(); ++i)
        if (above_a[i] && above_b[i]) common[i] = any = true;
      if (!any) continue;  // separate histories (labelled branches with their own bases)
      auto side = [&](size_t head) {
        std::map<std::string, TableTouch> tables;
        for (size_t r : branch_of(graph, head, common))
          for (const auto& [table, t] : touches_of(r)) {
            TableTouch& into = tables[table];
            into.places.insert(into.places.end(), t.places.begin(), t.places.end());
            into.columns.insert(t.columns.begin(), t.columns.end());
          }
        return tables;
      };
      const std::map<std::string, TableTouch> left = side(heads[a]), right = side(heads[b]);
      const std::string& id_a = graph.revisions[heads[a]].id;
      const std::string& id_b = graph.revisions[heads[b]].id;
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
        f.detail = both.empty()
                       ? "Merging the heads runs both branches' changes to it in an order "
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
