// Builds the revision graph the way Alembic's RevisionMap._revision_map does
// (alembic/script/revision.py), without running any migration code.
#include "analysis/graph.h"

#include <algorithm>
#include <iterator>
#include <numeric>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic {

namespace detail {

bool Build::has_keys(uint32_t n) const {
  return !label_set.empty() && label_set[n] != 0;
}

std::vector<std::string> Build::keys_of(uint32_t n) const {
  std::vector<std::string> keys;
  if (!has_keys(n)) return keys;
  for (uint32_t k : label_sets[label_set[n]]) keys.push_back(key_names[k]);
  std::sort(keys.begin(), keys.end());
  return keys;
}

SourceRange revision_range(const Script& script) {
  const AssignedValue& rev = script.parsed.revision;
  if (!rev.present) return SourceRange{};
  if (rev.strings.size() == 1 && !rev.is_sequence) return rev.strings[0].range;
  return rev.value_range;
}

// Alembic 1.8 turns a scalar "" into None (tuple_rev_as_scalar), i.e. a base.
bool is_scalar_empty(const AssignedValue& v) {
  return v.present && !v.is_sequence && v.unresolved.empty() && v.strings.size() == 1 &&
         v.strings[0].text.empty();
}

namespace {

// Alembic resolves depends_on only when the value is truthy after tuple_rev_as_scalar:
// a lone "" (scalar or 1-tuple) is ignored.
bool depends_on_ignored(const AssignedValue& v) {
  return v.unresolved.empty() && v.strings.size() == 1 && v.strings[0].text.empty();
}

// Alembic's `dependencies is None`: absent, None, or an empty sequence.
bool depends_on_none(const AssignedValue& v) {
  return !v.present || v.is_none || (v.is_sequence && v.strings.empty() && v.unresolved.empty());
}

}  // namespace

void fill_node(const Script& script, Node& node) {
  const AssignedValue& down = script.parsed.down_revision;
  node.script = &script;
  bool empty_value = down.is_none || is_scalar_empty(down) ||
                     (down.is_sequence && down.strings.empty() && down.unresolved.empty());
  bool readable = down.present && down.unresolved.empty() && (empty_value || !down.strings.empty());
  node.unknown_links = (down.present ? 0 : 1) + static_cast<uint32_t>(down.unresolved.size());
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

// dst = the texts of src, writing only what differs (an unchanged list costs compares).
void assign_texts(std::vector<std::string>& dst, const std::vector<StringValue>& src) {
  if (dst.size() > src.size()) dst.resize(src.size());
  for (size_t k = 0; k < src.size(); ++k) {
    if (k == dst.size()) {
      dst.push_back(src[k].text);
    } else if (dst[k] != src[k].text) {
      dst[k] = src[k].text;
    }
  }
}

// Appends node i's resolved references to the flat arrays (its spans point there) and
// its missing ones to b.missing; fills Revision::depends_on.
void resolve_node(Build& b, uint32_t i) {
  Node& node = b.nodes[i];
  Revision& rev = b.out.revisions[i];
  const ParsedMigration& p = node.script->parsed;
  rev.depends_on.clear();
  node.self_loop = nullptr;
  node.parents.begin = static_cast<uint32_t>(b.parents.size());
  if (!is_scalar_empty(p.down_revision)) {
    for (const StringValue& s : p.down_revision.strings) {
      // Alembic looks down_revision up by exact id only (a label fails later).
      uint32_t target = b.lookup(s.text);
      if (target == kNoNode) {
        b.missing.push_back({i, &s, true});
        ++node.unknown_links;
      } else {
        // The text names this very id (the table maps each text to one canonical node).
        if (target == node.canonical && !node.self_loop) node.self_loop = &s;
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

}  // namespace detail

namespace {

using detail::assign_texts;
using detail::Build;
using detail::fill_node;
using detail::is_scalar_empty;
using detail::kNoNode;
using detail::MissingReference;
using detail::Node;
using detail::Ref;
using detail::relink_one;
using detail::repatch;
using detail::resolve_node;
using detail::Span;
using detail::update_one;

// `rebuild_by_id`: the id list changed since `out` was last filled (by_id depends on
// nothing else, so an edit that keeps every id keeps it).
void index_revisions(Build& b, bool rebuild_by_id) {
  std::vector<Revision>& revs = b.out.revisions;
  const uint32_t n = static_cast<uint32_t>(revs.size());
  b.canonical.reserve(n);
  std::vector<uint32_t> entry(n);
  for (uint32_t i = 0; i < n; ++i) entry[i] = b.canonical.set(revs[i].id, i);  // last one wins
  std::vector<char> marked;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t last = b.canonical.value_at(entry[i]);
    b.nodes[i].canonical = last;
    if (last == i) continue;
    // Stale copies always load before the canonical one: first stale copy, load order.
    if (marked.empty()) marked.assign(n, 0);
    if (!marked[last]) {
      marked[last] = 1;
      b.duplicated.push_back(last);
    }
  }
  if (!rebuild_by_id) return;
  b.out.by_id.clear();
  b.out.by_id.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    if (b.nodes[i].canonical == i) b.out.by_id.try_emplace(revs[i].id, std::vector<size_t>{i});
  for (uint32_t i = 0; i < n; ++i) {
    if (b.nodes[i].canonical == i) continue;
    std::vector<size_t>& copies = b.out.by_id[revs[i].id];
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
    b.nodes[i].labelled = labelled;
    b.nodes[i].contributes_edges = b.nodes[i].canonical == i || labelled;
  }
}

void count_unknown_links(Build& b) {
  b.unknown_links = 0;
  for (const Node& node : b.nodes) b.unknown_links += node.unknown_links;
}

void resolve_references(Build& b) {
  b.parents.reserve(b.nodes.size());
  for (uint32_t i = 0; i < b.nodes.size(); ++i) resolve_node(b, i);
  count_unknown_links(b);
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

bool same_row(const std::vector<uint32_t>& a, Span x, const std::vector<uint32_t>& b, Span y) {
  return x.size() == y.size() &&
         std::equal(a.begin() + x.begin, a.begin() + x.end, b.begin() + y.begin);
}

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

}  // namespace

namespace detail {

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
    for (const detail::Ref& p : b.parents_of(i)) {
      uint32_t x = find_root(parent, i), y = find_root(parent, p.node);
      if (x != y) parent[std::max(x, y)] = std::min(x, y);
    }
  }
  for (uint32_t i = 0; i < b.nodes.size(); ++i) b.nodes[i].component = find_root(parent, i);
}

}  // namespace detail

AnalysisMemo::AnalysisMemo() = default;
AnalysisMemo::~AnalysisMemo() = default;
AnalysisMemo::AnalysisMemo(const AnalysisMemo&) {}
AnalysisMemo::AnalysisMemo(AnalysisMemo&&) noexcept = default;
AnalysisMemo& AnalysisMemo::operator=(const AnalysisMemo&) {
  state.reset();
  return *this;
}
AnalysisMemo& AnalysisMemo::operator=(AnalysisMemo&&) noexcept = default;

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

std::string_view revision_id_view(const Script& script) {
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
  return stem;
}

std::string revision_id_of(const Script& script) {
  return std::string(revision_id_view(script));
}

namespace {

// `part` (every script's own findings, sorted) with the run of the script at `path`
// replaced by `own`. False, with `part` unchanged, when a finding of `own` is about another
// file (the run would not be contiguous).
bool replace_script_run(std::vector<Finding>& part, const std::string& path,
                        const std::vector<Finding>& own) {
  for (const Finding& f : own)
    if (f.location.path != path) return false;
  auto by_path = [](const Finding& f, const std::string& p) { return f.location.path < p; };
  auto lo = std::lower_bound(part.begin(), part.end(), path, by_path);
  auto hi = lo;
  while (hi != part.end() && hi->location.path == path) ++hi;
  std::vector<Finding> run = own;
  std::stable_sort(run.begin(), run.end(), finding_less);
  // Reuse the slots of the old run, then grow or shrink in place.
  const size_t at = static_cast<size_t>(lo - part.begin());
  const size_t old_size = static_cast<size_t>(hi - lo);
  const size_t common = std::min(old_size, run.size());
  for (size_t k = 0; k < common; ++k) part[at + k] = std::move(run[k]);
  if (run.size() > old_size) {
    part.insert(part.begin() + static_cast<std::ptrdiff_t>(at + common),
                std::make_move_iterator(run.begin() + static_cast<std::ptrdiff_t>(common)),
                std::make_move_iterator(run.end()));
  } else {
    part.erase(part.begin() + static_cast<std::ptrdiff_t>(at + common),
               part.begin() + static_cast<std::ptrdiff_t>(at + old_size));
  }
  return true;
}

void analyze_with(GraphAnalysis& out, const std::vector<Script>& scripts,
                  const AnalysisOptions& options,
                  const std::vector<std::vector<Finding>>* script_findings, size_t changed) {
  // `out` may hold an earlier analysis: every field is cleared and refilled in place, so
  // its strings and vectors keep their storage (an edit then allocates next to nothing).
  out.findings.clear();
  out.heads.clear();
  out.real_heads.clear();
  out.bases.clear();
  out.head_indexes.clear();
  out.base_indexes.clear();
  Build b(scripts, options, out);

  std::unique_ptr<detail::Memo> memo = std::move(out.memo.state);
  // Since the memo was filled from these very vectors, only scripts[changed] changed.
  const bool one_changed =
      memo && changed != kAnyScript && changed < scripts.size() &&
      memo->scripts_data == scripts.data() && memo->scripts_size == scripts.size() &&
      memo->revisions_data == out.revisions.data() && memo->revisions_size == out.revisions.size();
  bool updated = false;
  if (one_changed) {
    static_cast<detail::BuildParts&>(b) = std::move(memo->parts);
    updated = update_one(b, memo->node_of_script, changed);
    if (!updated) static_cast<detail::BuildParts&>(b) = detail::BuildParts{};
  }
  if (!memo) memo = std::make_unique<detail::Memo>();
  // The scripts' own findings: the edited script's run replaced, or all gathered again.
  if (!(one_changed && script_findings && memo->script_part_valid &&
        replace_script_run(memo->script_part, scripts[changed].path,
                           (*script_findings)[changed]))) {
    std::vector<Finding>& part = memo->script_part;
    part.clear();
    if (script_findings) {
      size_t total = 0;
      for (const std::vector<Finding>& own : *script_findings) total += own.size();
      part.reserve(total);
      for (const std::vector<Finding>& own : *script_findings)
        part.insert(part.end(), own.begin(), own.end());
    } else {
      for (const Script& script : scripts) add_script_findings(script, part);
    }
    sort_findings(part);
    memo->script_part_valid = script_findings != nullptr;
  }

  if (!updated) {
    // Build keeps string_views into the ids: out.revisions is not resized after this loop.
    const size_t before = out.revisions.size();
    size_t count = 0;
    bool ids_changed = false;
    b.nodes.reserve(scripts.size());
    out.revisions.reserve(scripts.size());
    memo->node_of_script.assign(scripts.size(), kNoNode);
    for (size_t i = 0; i < scripts.size(); ++i) {
      const Script& script = scripts[i];
      const ParsedMigration& p = script.parsed;
      std::string_view id = revision_id_view(script);
      if (id.empty()) {
        if (p.revision.present && !p.revision.is_none) b.unknown_id_scripts.push_back(i);
        continue;
      }
      // A file named like a hex id with neither variable is not a migration at all.
      if (!p.revision.present && !p.down_revision.present) continue;
      memo->node_of_script[i] = static_cast<uint32_t>(count);
      if (count == out.revisions.size()) out.revisions.emplace_back();
      Revision& rev = out.revisions[count++];
      if (rev.id != id) {
        ids_changed = true;
        rev.id.assign(id);
      }
      rev.script = i;
      if (is_scalar_empty(p.down_revision)) {
        rev.down_revisions.clear();
      } else {
        assign_texts(rev.down_revisions, p.down_revision.strings);
      }
      assign_texts(rev.branch_labels, p.branch_labels.strings);
      rev.effective_labels.clear();
      rev.children.clear();
      rev.dependents.clear();
      b.nodes.emplace_back();
      fill_node(script, b.nodes.back());
    }
    if (count != before) ids_changed = true;
    out.revisions.resize(count);  // shrinks only: no reallocation

    index_revisions(b, ids_changed || out.by_id.empty() != out.revisions.empty());
    map_branch_labels(b);
    resolve_references(b);
  }
  link_children(b, updated);
  collect_graph_facts(b, updated);
  detail::find_cycles(b);
  detail::propagate_branch_labels(b);
  detail::add_graph_findings(b);
  // The graph's findings, sorted, merged after equal ones of the scripts: what sorting the
  // scripts' findings followed by the graph's would give.
  sort_findings(out.findings);
  {
    std::vector<Finding> graph_findings = std::move(out.findings);
    out.findings.clear();
    out.findings.reserve(memo->script_part.size() + graph_findings.size());
    std::merge(memo->script_part.begin(), memo->script_part.end(),
               std::make_move_iterator(graph_findings.begin()),
               std::make_move_iterator(graph_findings.end()), std::back_inserter(out.findings),
               finding_less);
  }

  out.memo.touched.clear();
  if (updated) {
    out.memo.touched.push_back(b.updated_node);
    out.memo.touched.insert(out.memo.touched.end(), b.rewritten.begin(), b.rewritten.end());
    std::sort(out.memo.touched.begin(), out.memo.touched.end());
    out.memo.touched.erase(std::unique(out.memo.touched.begin(), out.memo.touched.end()),
                           out.memo.touched.end());
  }
  b.updated_node = kNoNode;
  memo->parts = std::move(static_cast<detail::BuildParts&>(b));
  memo->scripts_data = scripts.data();
  memo->scripts_size = scripts.size();
  memo->revisions_data = out.revisions.data();
  memo->revisions_size = out.revisions.size();
  out.memo.state = std::move(memo);
  out.memo.last_was_update = updated;
}

}  // namespace

GraphAnalysis analyze(const std::vector<Script>& scripts, const AnalysisOptions& options) {
  GraphAnalysis out;
  analyze_with(out, scripts, options, nullptr, kAnyScript);
  return out;
}

GraphAnalysis analyze(const std::vector<Script>& scripts, const AnalysisOptions& options,
                      const std::vector<std::vector<Finding>>& script_findings) {
  GraphAnalysis out;
  analyze_into(out, scripts, options, script_findings);
  return out;
}

void analyze_into(GraphAnalysis& out, const std::vector<Script>& scripts,
                  const AnalysisOptions& options,
                  const std::vector<std::vector<Finding>>& script_findings, size_t changed) {
  analyze_with(out, scripts, options,
               script_findings.size() == scripts.size() ? &script_findings : nullptr, changed);
}

}  // namespace alembic
