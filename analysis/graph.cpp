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
using detail::collect_graph_facts;
using detail::fill_node;
using detail::is_scalar_empty;
using detail::kNoNode;
using detail::link_children;
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

}  // namespace

AnalysisMemo::AnalysisMemo() = default;
AnalysisMemo::~AnalysisMemo() = default;
AnalysisMemo::AnalysisMemo(const AnalysisMemo&) {}
AnalysisMemo::AnalysisMemo(AnalysisMemo&&) noexcept = default;
AnalysisMemo& AnalysisMemo::operator=(const AnalysisMemo&) {
  state.reset();
  return *this;
}
AnalysisMemo& AnalysisMemo::operator=(AnalysisMemo&&) noexcept = default;

namespace {

// `keep`: the caller's scripts (the very vector `scripts`), whose own findings are used
// and kept (analyze_into); nullptr computes everything afresh (analyze).
void analyze_with(GraphAnalysis& out, const std::vector<Script>& scripts, std::vector<Script>* keep,
                  const AnalysisOptions& options, size_t changed) {
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
  detail::collect_script_findings(memo->script_part, scripts, keep,
                                  one_changed ? changed : kAnyScript);

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
  analyze_with(out, scripts, nullptr, options, kAnyScript);
  return out;
}

void analyze_into(GraphAnalysis& out, std::vector<Script>& scripts, const AnalysisOptions& options,
                  size_t changed) {
  analyze_with(out, scripts, &scripts, options, changed);
}

}  // namespace alembic
