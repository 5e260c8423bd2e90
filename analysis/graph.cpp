// Builds the revision graph the way Alembic's RevisionMap._revision_map does
// (alembic/script/revision.py), without running any migration code.
#include "analysis/graph.h"

#include <algorithm>
#include <numeric>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic {

namespace detail {

namespace {
uint32_t hash_of(std::string_view key) {
  size_t h = std::hash<std::string_view>{}(key);
  return static_cast<uint32_t>(h ^ (h >> 32));
}
}  // namespace

void IdTable::reserve(size_t count) {
  entries_.reserve(count);
  grow(count);
}

void IdTable::grow(size_t count) {
  size_t capacity = 16;
  while (capacity < count * 2) capacity <<= 1;
  if (capacity <= slots_.size()) return;
  slots_.assign(capacity, Slot{});
  const size_t mask = capacity - 1;
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    uint32_t hash = hash_of(entries_[e].key);
    size_t i = hash & mask;
    while (slots_[i].entry != kNoNode) i = (i + 1) & mask;
    slots_[i] = Slot{hash, e};
  }
}

uint32_t& IdTable::find(std::string_view key, uint32_t hash, bool& found) {
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].entry != kNoNode) {
    if (slots_[i].hash == hash && entries_[slots_[i].entry].key == key) {
      found = true;
      return slots_[i].entry;
    }
    i = (i + 1) & mask;
  }
  found = false;
  slots_[i].hash = hash;
  return slots_[i].entry;
}

uint32_t IdTable::find(std::string_view key, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].entry != kNoNode; i = (i + 1) & mask)
    if (slots_[i].hash == hash && entries_[slots_[i].entry].key == key) return slots_[i].entry;
  return kNoNode;
}

uint32_t IdTable::set(std::string_view key, uint32_t value) {
  grow(entries_.size() + 1);
  bool found = false;
  uint32_t& entry = find(key, hash_of(key), found);
  if (found) {
    entries_[entry].value = value;
    return entry;
  }
  entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back({key, value});
  return entry;
}

uint32_t IdTable::insert(std::string_view key, uint32_t value) {
  grow(entries_.size() + 1);
  bool found = false;
  uint32_t& entry = find(key, hash_of(key), found);
  if (found) return entries_[entry].value;
  entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back({key, value});
  return value;
}

uint32_t IdTable::get(std::string_view key) const {
  if (slots_.empty()) return kNoNode;
  uint32_t entry = find(key, hash_of(key));
  return entry == kNoNode ? kNoNode : entries_[entry].value;
}

const std::vector<std::string>& Build::keys_of(uint32_t n) const {
  static const std::vector<std::string> kNone;
  return label_keys.empty() ? kNone : label_keys[n];
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
using detail::Span;

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

void fill_node(const Script& script, Node& node, uint32_t& unknown_links) {
  const AssignedValue& down = script.parsed.down_revision;
  node.script = &script;
  bool empty_value = down.is_none || is_scalar_empty(down) ||
                     (down.is_sequence && down.strings.empty() && down.unresolved.empty());
  bool readable = down.present && down.unresolved.empty() &&
                  (empty_value || !down.strings.empty());
  if (!down.present) ++unknown_links;
  unknown_links += static_cast<uint32_t>(down.unresolved.size());
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

void index_revisions(Build& b) {
  std::vector<Revision>& revs = b.out.revisions;
  const uint32_t n = static_cast<uint32_t>(revs.size());
  b.canonical.reserve(n);
  std::vector<uint32_t> entry(n);
  for (uint32_t i = 0; i < n; ++i) entry[i] = b.canonical.set(revs[i].id, i);  // last one wins
  b.out.by_id.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    b.nodes[i].canonical = b.canonical.value_at(entry[i]);
    if (b.nodes[i].canonical == i) b.out.by_id.try_emplace(revs[i].id, std::vector<size_t>{i});
  }
  // Stale copies always load before the canonical one: keep load order.
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t last = b.nodes[i].canonical;
    if (last == i) continue;
    std::vector<size_t>& copies = b.out.by_id[revs[i].id];
    if (copies.size() == 1) b.duplicated.push_back(last);
    copies.insert(copies.end() - 1, i);
  }
}

// Alembic's _map_branch_labels: a label may name one revision only, and no label may
// equal a revision id. Alembic walks labelled revisions in set order; load order here.
void map_branch_labels(Build& b) {
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    const AssignedValue& labels = b.nodes[i].script->parsed.branch_labels;
    for (const StringValue& label : labels.strings) {
      if (uint32_t id = b.canonical.get(label.text); id != kNoNode) {
        b.label_conflicts.push_back({i, &label, id, true});
      } else if (uint32_t other = b.labels.insert(label.text, i); other != i) {
        b.label_conflicts.push_back({i, &label, other, false});
      } else if (std::count_if(labels.strings.data(), &label,
                               [&](const StringValue& s) { return s.text == label.text; })) {
        b.label_conflicts.push_back({i, &label, i, false});  // the same label twice
      }
    }
    // A stale duplicate that Alembic also maps under a label of its own gets its edges
    // walked like the canonical copy.
    bool labelled = !labels.strings.empty() || !labels.unresolved.empty();
    b.nodes[i].contributes_edges = b.nodes[i].canonical == i || labelled;
  }
}

void resolve_references(Build& b) {
  b.parents.reserve(b.nodes.size());
  for (uint32_t i = 0; i < b.nodes.size(); ++i) {
    Node& node = b.nodes[i];
    Revision& rev = b.out.revisions[i];
    const ParsedMigration& p = node.script->parsed;
    node.parents.begin = static_cast<uint32_t>(b.parents.size());
    if (!is_scalar_empty(p.down_revision)) {
      for (const StringValue& s : p.down_revision.strings) {
        // Alembic looks down_revision up by exact id only (a label fails later).
        uint32_t target = b.lookup(s.text);
        if (target == kNoNode) {
          b.missing.push_back({i, &s, true});
          ++b.unknown_links;
        } else {
          b.parents.push_back({target, &s});
        }
      }
    }
    node.parents.end = static_cast<uint32_t>(b.parents.size());
    node.deps.begin = static_cast<uint32_t>(b.deps.size());
    if (!depends_on_ignored(p.depends_on)) {
      for (const StringValue& s : p.depends_on.strings) {
        uint32_t target = b.lookup(s.text);
        if (target == kNoNode) {
          // Alembic resolves a label to the id of the revision declaring it, then looks
          // that id up again: a stale duplicate's label lands on the canonical copy.
          uint32_t owner = b.labels.get(s.text);
          if (owner != kNoNode) target = b.nodes[owner].canonical;
        }
        if (target == kNoNode) {
          b.missing.push_back({i, &s, false});
          rev.depends_on.push_back(s.text);
        } else {
          b.deps.push_back({target, &s});
          rev.depends_on.push_back(b.out.revisions[target].id);
        }
      }
    }
    node.deps.end = static_cast<uint32_t>(b.deps.size());
  }
}

// Scatters edges child -> parent into parent -> children rows (load order kept), then
// drops repeats within each row.
void invert(Build& b, Span Node::*from, const std::vector<detail::Ref>& edges, Span Node::*to,
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

// Alembic's add_nextrev over the map's revisions: nextrev (children) and _all_nextrev.
void link_children(Build& b) {
  invert(b, &Node::parents, b.parents, &Node::children, b.children);
  if (!b.deps.empty()) invert(b, &Node::deps, b.deps, &Node::dependents, b.dependents);
  const uint32_t n = static_cast<uint32_t>(b.nodes.size());
  std::vector<uint32_t> stamp(n, kNoNode);
  for (uint32_t i = 0; i < n; ++i) {
    Node& node = b.nodes[i];
    Revision& rev = b.out.revisions[i];
    uint32_t next = node.children.size();
    if (!node.dependents.empty()) {
      for (uint32_t c : b.children_of(i)) stamp[c] = i;
      for (uint32_t d : b.dependents_of(i)) next += stamp[d] != i;
      for (uint32_t d : b.dependents_of(i)) rev.dependents.push_back(b.out.revisions[d].id);
    }
    node.next_count = next;
    if (node.children.empty()) continue;
    rev.children.reserve(node.children.size());
    for (uint32_t c : b.children_of(i)) rev.children.push_back(b.out.revisions[c].id);
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
    for (const detail::Ref& p : b.parents_of(i)) {
      uint32_t x = find_root(parent, i), y = find_root(parent, p.node);
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
      out.head_indexes.push_back(i);
      if (node.dependents.empty()) out.real_heads.push_back(id);
    }
    if (node.is_base) {
      out.bases.push_back(id);
      out.base_indexes.push_back(i);
    }
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

namespace {

GraphAnalysis analyze_with(const std::vector<Script>& scripts, const AnalysisOptions& options,
                           const std::vector<std::vector<Finding>>* script_findings) {
  GraphAnalysis out;
  Build b(scripts, options, out);
  if (script_findings) {
    for (const std::vector<Finding>& own : *script_findings)
      out.findings.insert(out.findings.end(), own.begin(), own.end());
  } else {
    for (const Script& script : scripts) add_script_findings(script, out.findings);
  }

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
    fill_node(script, b.nodes.back(), b.unknown_links);
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

}  // namespace

GraphAnalysis analyze(const std::vector<Script>& scripts, const AnalysisOptions& options) {
  return analyze_with(scripts, options, nullptr);
}

GraphAnalysis analyze(const std::vector<Script>& scripts, const AnalysisOptions& options,
                      const std::vector<std::vector<Finding>>& script_findings) {
  if (script_findings.size() != scripts.size()) return analyze_with(scripts, options, nullptr);
  return analyze_with(scripts, options, &script_findings);
}

}  // namespace alembic
