// Builds the revision graph the way Alembic's RevisionMap._revision_map does
// (alembic/script/revision.py), without running any migration code.
#include "analysis/graph.h"

#include <algorithm>
#include <numeric>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic {

namespace detail {

uint32_t Build::canonical_of(uint32_t node) const {
  auto it = canonical.find(out.revisions[node].id);
  return it == canonical.end() ? node : it->second;
}

uint32_t Build::lookup(std::string_view id) const {
  auto it = canonical.find(id);
  return it == canonical.end() ? kNoNode : it->second;
}

SourceRange revision_range(const Script& script) {
  const AssignedValue& rev = script.parsed.revision;
  if (!rev.present) return SourceRange{};
  if (rev.strings.size() == 1 && !rev.is_sequence) return rev.strings[0].range;
  return rev.value_range;
}

}  // namespace detail

namespace {

using detail::Build;
using detail::kNoNode;
using detail::Node;

// Alembic 1.8 turns a scalar "" into None (tuple_rev_as_scalar), i.e. a base.
bool is_scalar_empty(const AssignedValue& v) {
  return v.present && !v.is_sequence && v.unresolved.empty() && v.strings.size() == 1 &&
         v.strings[0].text.empty();
}

// Alembic resolves depends_on only when the value is truthy after tuple_rev_as_scalar:
// a lone "" (scalar or 1-tuple) is ignored.
bool depends_on_ignored(const AssignedValue& v) {
  return v.unresolved.empty() && v.strings.size() == 1 && v.strings[0].text.empty();
}

// Alembic's `dependencies is None`: absent, None, or an empty sequence.
bool depends_on_none(const AssignedValue& v) {
  return !v.present || v.is_none ||
         (v.is_sequence && v.strings.empty() && v.unresolved.empty());
}

void fill_node(const Script& script, Node& node, bool& unknown_parents) {
  const AssignedValue& down = script.parsed.down_revision;
  node.script = &script;
  bool empty_value = down.is_none || is_scalar_empty(down) ||
                     (down.is_sequence && down.strings.empty() && down.unresolved.empty());
  bool readable = down.present && down.unresolved.empty() &&
                  (empty_value || !down.strings.empty());
  node.parents_known = readable;
  if (!readable) unknown_parents = true;
  node.is_base = readable && empty_value;
  node.is_real_base = node.is_base && depends_on_none(script.parsed.depends_on);
  if (empty_value) {
    node.down_count = 0;
  } else if (down.is_sequence) {
    node.down_count = static_cast<uint32_t>(down.strings.size() + down.unresolved.size());
  } else {
    node.down_count = down.present ? 1 : 0;
  }
}

// Keeps the first occurrence of each value, in order, using `stamp` as scratch
// (stamp[v] == mark means "already seen for this list").
void unique_in_place(std::vector<uint32_t>& list, std::vector<uint32_t>& stamp, uint32_t mark) {
  if (list.size() < 2) return;
  size_t kept = 0;
  for (uint32_t v : list) {
    if (stamp[v] == mark) continue;
    stamp[v] = mark;
    list[kept++] = v;
  }
  list.resize(kept);
}

void index_revisions(Build& b) {
  std::vector<Revision>& revs = b.out.revisions;
  b.canonical.reserve(revs.size() * 2);
  for (uint32_t i = 0; i < revs.size(); ++i) b.canonical[revs[i].id] = i;  // last one wins
  b.out.by_id.reserve(revs.size() * 2);
  for (uint32_t i = 0; i < revs.size(); ++i) {
    b.nodes[i].canonical = b.canonical[revs[i].id] == i;
    b.out.by_id[revs[i].id].push_back(i);
  }
}

// Alembic's _map_branch_labels: a label may name one revision only, and no label may
// equal a revision id. Alembic walks labelled revisions in set order; load order here.
void map_branch_labels(Build& b) {
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    const AssignedValue& labels = b.nodes[i].script->parsed.branch_labels;
    for (const StringValue& label : labels.strings) {
      if (auto id = b.canonical.find(label.text); id != b.canonical.end()) {
        b.label_conflicts.push_back({i, &label, id->second, true});
      } else if (auto other = b.labels.find(label.text); other != b.labels.end()) {
        b.label_conflicts.push_back({i, &label, other->second, false});
      } else {
        b.labels.emplace(label.text, i);
      }
    }
    // A stale duplicate that Alembic also maps under a label of its own gets its edges
    // walked like the canonical copy.
    bool labelled = !labels.strings.empty() || !labels.unresolved.empty();
    b.nodes[i].contributes_edges = b.nodes[i].canonical || labelled;
  }
}

void resolve_references(Build& b) {
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    Node& node = b.nodes[i];
    Revision& rev = b.out.revisions[i];
    const ParsedMigration& p = node.script->parsed;
    if (!is_scalar_empty(p.down_revision)) {
      for (const StringValue& s : p.down_revision.strings) {
        // Alembic looks down_revision up by exact id only (a label fails later).
        uint32_t target = b.lookup(s.text);
        if (target == kNoNode) {
          b.missing.push_back({i, &s, true});
        } else {
          node.parents.emplace_back(target, &s);
        }
      }
    }
    if (depends_on_ignored(p.depends_on)) continue;
    for (const StringValue& s : p.depends_on.strings) {
      uint32_t target = b.lookup(s.text);
      if (target == kNoNode) {
        // Alembic resolves a label to the id of the revision declaring it, then looks
        // that id up again: a stale duplicate's label lands on the canonical copy.
        auto label = b.labels.find(s.text);
        if (label != b.labels.end()) target = b.canonical_of(label->second);
      }
      if (target == kNoNode) {
        b.missing.push_back({i, &s, false});
        rev.depends_on.push_back(s.text);
      } else {
        node.deps.emplace_back(target, &s);
        rev.depends_on.push_back(b.out.revisions[target].id);
      }
    }
  }
}

// Alembic's add_nextrev over the map's revisions: nextrev (children) and _all_nextrev.
void link_children(Build& b) {
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  for (uint32_t i = 0; i < n; ++i) {
    if (!b.nodes[i].contributes_edges) continue;
    uint32_t child = b.canonical_of(i);
    for (auto& [parent, text] : b.nodes[i].parents) b.nodes[parent].children.push_back(child);
    for (auto& [target, text] : b.nodes[i].deps) b.nodes[target].dependents.push_back(child);
  }
  std::vector<uint32_t> stamp(n, kNoNode), stamp2(n, kNoNode), stamp3(n, kNoNode);
  for (uint32_t i = 0; i < n; ++i) {
    Node& node = b.nodes[i];
    unique_in_place(node.children, stamp, i);
    unique_in_place(node.dependents, stamp2, i);
    uint32_t next = 0;
    for (uint32_t c : node.children) next += stamp3[c] != i ? (stamp3[c] = i, 1u) : 0u;
    for (uint32_t d : node.dependents) next += stamp3[d] != i ? (stamp3[d] = i, 1u) : 0u;
    node.next_count = next;
    Revision& rev = b.out.revisions[i];
    rev.children.reserve(node.children.size());
    for (uint32_t c : node.children) rev.children.push_back(b.out.revisions[c].id);
    for (uint32_t d : node.dependents) rev.dependents.push_back(b.out.revisions[d].id);
  }
}

uint32_t find_root(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

// Weakly connected pieces of the down_revision graph: separate histories.
void find_components(Build& b) {
  std::vector<uint32_t> parent(b.nodes.size());
  std::iota(parent.begin(), parent.end(), 0u);
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    for (auto& [p, text] : b.nodes[i].parents) {
      uint32_t x = find_root(parent, i), y = find_root(parent, p);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
  }
  for (uint32_t i = 0; i < b.nodes.size(); ++i) b.nodes[i].component = find_root(parent, i);
}

void collect_graph_facts(Build& b) {
  GraphAnalysis& out = b.out;
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    const Node& node = b.nodes[i];
    const std::string& id = out.revisions[i].id;
    if (node.children.empty()) {
      out.heads.push_back(id);
      if (node.dependents.empty()) out.real_heads.push_back(id);
    }
    if (node.is_base) out.bases.push_back(id);
    if (node.children.size() > 1) {
      std::vector<std::string>& kids = out.branch_points[id];
      kids = out.revisions[i].children;
      std::sort(kids.begin(), kids.end());
    }
    if (node.down_count > 1) out.merge_points.push_back(id);
  }
  std::sort(out.merge_points.begin(), out.merge_points.end());
  out.merge_points.erase(std::unique(out.merge_points.begin(), out.merge_points.end()),
                         out.merge_points.end());
}

}  // namespace

long GraphAnalysis::find(const std::string& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() || it->second.empty() ? -1 : static_cast<long>(it->second.back());
}

std::vector<size_t> GraphAnalysis::definitions(const std::string& id) const {
  std::vector<size_t> scripts;
  auto it = by_id.find(id);
  if (it == by_id.end()) return scripts;
  for (size_t index : it->second) scripts.push_back(revisions[index].script);
  return scripts;
}

std::string revision_id_of(const Script& script) {
  const AssignedValue& rev = script.parsed.revision;
  if (rev.present) {
    if (rev.is_none || rev.is_sequence || rev.strings.size() != 1 || !rev.unresolved.empty())
      return {};
    return rev.strings[0].text;
  }
  // Alembic's legacy rule: re.match(r"([a-f0-9]+)\.py$", filename).
  std::string_view name = file_name_of(script.path);
  if (name.size() <= 3 || name.substr(name.size() - 3) != ".py") return {};
  std::string_view stem = name.substr(0, name.size() - 3);
  for (char c : stem)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  return std::string(stem);
}

GraphAnalysis analyze(const std::vector<Script>& scripts, const AnalysisOptions& options) {
  GraphAnalysis out;
  Build b(scripts, options, out);
  for (const Script& script : scripts) add_script_findings(script, out.findings);

  // Storage is reserved once: Build keeps string_views into these ids.
  out.revisions.reserve(scripts.size());
  b.nodes.reserve(scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) {
    const Script& script = scripts[i];
    const ParsedMigration& p = script.parsed;
    std::string id = revision_id_of(script);
    if (id.empty()) {
      if (p.revision.present && !p.revision.is_none) b.unknown_id_scripts.push_back(i);
      continue;
    }
    // A file named like a hex id with neither variable is not a migration at all.
    if (!p.revision.present && !p.down_revision.present) continue;
    Revision rev;
    rev.id = std::move(id);
    rev.script = i;
    if (!is_scalar_empty(p.down_revision))
      for (const StringValue& s : p.down_revision.strings) rev.down_revisions.push_back(s.text);
    for (const StringValue& s : p.branch_labels.strings) rev.branch_labels.push_back(s.text);
    out.revisions.push_back(std::move(rev));
    b.nodes.emplace_back();
    fill_node(script, b.nodes.back(), b.has_unknown_parents);
  }

  index_revisions(b);
  map_branch_labels(b);
  resolve_references(b);
  link_children(b);
  find_components(b);
  collect_graph_facts(b);
  detail::find_cycles(b);
  detail::propagate_branch_labels(b);
  detail::add_graph_findings(b);
  sort_findings(out.findings);
  return out;
}

}  // namespace alembic
