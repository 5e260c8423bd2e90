// Internal to the graph analysis: the working state analyze() builds and the passes that
// read it (cycles, branch labels, graph findings). Not part of the library's interface.
//
// Built for 100,000-revision histories: ids are looked up in a flat open-addressing
// table, and edges live in shared flat arrays (one allocation per kind, not per revision).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/graph.h"

namespace alembic::detail {

inline constexpr uint32_t kNoNode = UINT32_MAX;

/// string_view -> node index; linear probing over a power-of-two table of 8-byte slots
/// (hash bits + entry number) so 100,000 ids stay cache friendly. The viewed strings
/// must outlive the table.
class IdTable {
 public:
  void reserve(size_t count);
  /// Inserts or overwrites; returns the entry number, stable for the table's life.
  uint32_t set(std::string_view key, uint32_t value);
  uint32_t value_at(uint32_t entry) const { return entries_[entry].value; }
  /// Inserts when absent; returns the value now stored under `key`.
  uint32_t insert(std::string_view key, uint32_t value);
  uint32_t get(std::string_view key) const;  ///< kNoNode when absent
  size_t size() const { return entries_.size(); }
  template <typename F>
  void for_each(F&& f) const {
    for (const Entry& e : entries_) f(e.key, e.value);
  }

 private:
  struct Slot {
    uint32_t hash = 0;
    uint32_t entry = kNoNode;
  };
  struct Entry {
    std::string_view key;
    uint32_t value;
  };
  uint32_t& find(std::string_view key, uint32_t hash, bool& found);
  uint32_t find(std::string_view key, uint32_t hash) const;
  void grow(size_t count);
  std::vector<Slot> slots_;
  std::vector<Entry> entries_;
};

/// A resolved reference: the revision it names and the string that names it.
struct Ref {
  uint32_t node;
  const StringValue* text;
};

/// A reference (down_revision or depends_on element) that names no revision.
struct MissingReference {
  uint32_t node;            ///< the revision that holds the reference
  const StringValue* text;  ///< the string as written
  bool in_down_revision;    ///< else depends_on
};

/// A branch label written twice, or equal to a revision id.
struct LabelConflict {
  uint32_t node;  ///< the revision whose label collides (the later one)
  const StringValue* label;
  uint32_t other;    ///< the revision already holding that name
  bool other_is_id;  ///< the name is `other`'s revision id, not its label
};

/// [begin, end) into one of Build's flat arrays.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

/// Per-revision working data, parallel to GraphAnalysis::revisions.
struct Node {
  const Script* script = nullptr;
  /// The last loaded copy of this id, the one Alembic's revision map holds.
  uint32_t canonical = 0;
  /// Whether Alembic walks this revision's edges: the canonical copy, or any copy that
  /// Alembic also maps under a branch label of its own.
  bool contributes_edges = true;
  bool is_base = false;       ///< Alembic's is_base: down_revision is None / empty
  bool is_real_base = false;  ///< also no depends_on
  uint32_t down_count = 0;    ///< elements written in down_revision (merge point when > 1)
  Span parents;     ///< resolved down_revision targets (canonical copies), in Build::parents
  Span deps;        ///< resolved depends_on targets (canonical copies), in Build::deps
  Span children;    ///< unique, first-seen order (Alembic's nextrev), in Build::children
  Span dependents;  ///< unique, first-seen order, in Build::dependents
  uint32_t next_count = 0;  ///< |children ∪ dependents| (Alembic's _all_nextrev)
  uint32_t component = 0;   ///< weakly connected through down_revision edges (find_components)
  /// Unknown down_revision links of this revision (see BuildParts::unknown_links).
  uint32_t unknown_links = 0;
  bool labelled = false;  ///< declares branch labels (literal or not)
  /// The first down_revision string naming this revision's own id, if any.
  const StringValue* self_loop = nullptr;

  bool is_canonical(uint32_t self) const { return canonical == self; }
};

/// What the passes build that a later analysis of the same environment can keep: the
/// working state of Build without its references (see Memo).
struct BuildParts {
  std::vector<Node> nodes;
  /// Flat edge arrays; a node's span may sit anywhere (an update appends a new span and
  /// leaves the old one unused until compacted).
  std::vector<Ref> parents, deps;
  std::vector<uint32_t> children, dependents;
  /// id -> canonical node. Keys view out.revisions[i].id (reserved up front, never moved).
  IdTable canonical;
  /// own branch label -> the first revision that declares it
  IdTable labels;

  /// Sorted by node.
  std::vector<MissingReference> missing;
  std::vector<LabelConflict> label_conflicts;
  /// Scripts that assign `revision` something that is not a string literal: their ids
  /// are unknown, so "missing" references may in fact point at them.
  std::vector<size_t> unknown_id_scripts;
  /// down_revision links that are unknown: non-literal elements, an absent
  /// down_revision, or a string naming nothing. Each may hide one parent that now looks
  /// like a head. The sum of Node::unknown_links.
  uint32_t unknown_links = 0;
  /// Canonical nodes of ids defined by more than one file, in load order.
  std::vector<uint32_t> duplicated;

  /// Branch-label keys per node after propagation: real labels, plus "\x01expr" for
  /// label expressions that are not literals (they still mark an intended branch).
  /// label_set[n] indexes label_sets (0: none), whose entries index key_names. Shared
  /// sets keep a labelled 100,000-revision history at one small vector per distinct set.
  /// All empty when the history has no labels at all.
  std::vector<uint32_t> label_set;
  std::vector<std::vector<uint32_t>> label_sets;
  std::vector<std::string> key_names;
  /// The label names of each set in label_sets, as Revision::effective_labels shares
  /// them (filled when first asked for; label_names_known says which are).
  std::vector<SharedStrings> label_names;
  std::vector<char> label_names_known;
  /// The propagation's working values, per node (indexes into label_sets), kept for the
  /// one-script path to redo only what an edit changes: own labels, labels from
  /// ancestors, labels of the unbranched chain above and whether that chain qualifies.
  /// label_index finds a set's index, so equal sets share one (label_sets stays bounded
  /// however many edits come).
  std::vector<uint32_t> label_own, label_down, label_chain;
  std::vector<char> label_chain_ok;
  std::map<std::vector<uint32_t>, uint32_t> label_index;

  /// Strongly connected components of the down_revision graph (self-loops left out),
  /// as find_cycles computed them: ids in completion order, so ancestors come first.
  std::vector<uint32_t> scc;
  uint32_t scc_count = 0;

  /// Revisions with several children / several down_revisions, in order.
  std::vector<uint32_t> branch_nodes, merge_nodes;
  /// Heads (no children), real heads (no dependents either) and bases, in order, and
  /// the node count these lists were computed for (collect_graph_facts).
  std::vector<uint32_t> head_nodes, real_head_nodes, base_nodes;
  uint32_t lists_size = UINT32_MAX;
  /// Revisions naming themselves in down_revision, and revisions with resolved
  /// depends_on, in order, for the node count `cycle_lists_size` (find_cycles).
  std::vector<uint32_t> self_loop_nodes, dep_nodes;
  /// Revisions whose depends_on names themselves (by id or own label), in order.
  std::vector<uint32_t> self_dep_nodes;
  uint32_t cycle_lists_size = UINT32_MAX;
  /// Whether every depends_on edge went to an earlier revision of the numbering in `scc`
  /// (no depends_on cycle possible), as find_cycles last found.
  bool deps_ordered = false;
  /// A topological numbering of down_revision and depends_on edges together (targets
  /// first), from the last full depends_on cycle search that found no cycle; valid while
  /// dep_order.size() equals the node count. A one-script edit whose new edges all go
  /// to earlier numbers keeps it: no cycle can have appeared.
  std::vector<uint32_t> dep_order;
  /// Revisions whose children or dependents list link_children rewrote when patching.
  std::vector<uint32_t> rewritten;
  /// The one revision analyze_into's one-script path re-resolved (kNoNode otherwise),
  /// and the parents and dependencies it had before.
  uint32_t updated_node = kNoNode;
  std::vector<uint32_t> old_targets;
};

/// Everything the passes share while one environment is analysed.
struct Build : BuildParts {
  const std::vector<Script>& scripts;
  const AnalysisOptions& options;
  GraphAnalysis& out;

  Build(const std::vector<Script>& s, const AnalysisOptions& o, GraphAnalysis& g)
      : scripts(s), options(o), out(g) {}

  std::span<const Ref> parents_of(uint32_t n) const { return slice(parents, nodes[n].parents); }
  std::span<const Ref> deps_of(uint32_t n) const { return slice(deps, nodes[n].deps); }
  std::span<const uint32_t> children_of(uint32_t n) const {
    return slice(children, nodes[n].children);
  }
  std::span<const uint32_t> dependents_of(uint32_t n) const {
    return slice(dependents, nodes[n].dependents);
  }
  bool is_head(uint32_t n) const { return nodes[n].children.empty(); }
  bool has_keys(uint32_t n) const;
  /// The node's label keys, sorted (built on each call: for heads and bases only).
  std::vector<std::string> keys_of(uint32_t n) const;
  uint32_t lookup(std::string_view id) const { return canonical.get(id); }

 private:
  template <typename T>
  static std::span<const T> slice(const std::vector<T>& v, Span s) {
    return std::span<const T>(v.data() + s.begin, s.size());
  }
};

/// The working state of an environment's last analysis, kept in its GraphAnalysis so
/// that analyze_into can redo only what an edit of one script changes. Valid while the
/// scripts vector and GraphAnalysis::revisions keep their storage (checked).
struct Memo {
  BuildParts parts;
  std::vector<uint32_t> node_of_script;  ///< script index -> node, kNoNode if none
  const Script* scripts_data = nullptr;
  size_t scripts_size = 0;
  const Revision* revisions_data = nullptr;
  size_t revisions_size = 0;
  /// Every script's own findings (add_script_findings), sorted as the result is: a
  /// one-script edit replaces that script's run only (collect_script_findings).
  std::vector<Finding> script_part;
};

/// Fills `part` with every script's own findings (add_script_findings), sorted as the
/// result is. `changed` (not kAnyScript): `part` holds them for these scripts before only
/// scripts[changed] changed, and only its run is replaced when that can be done in place.
/// `keep`: the caller's scripts (the very vector `scripts`), whose Script::own_findings
/// are used when kept and kept when computed; nullptr computes every one afresh.
void collect_script_findings(std::vector<Finding>& part, const std::vector<Script>& scripts,
                             std::vector<Script>* keep, size_t changed);

/// The sorted node list `list`, with the nodes of `recheck` (sorted) kept or added as
/// `holds` says now: O(list + recheck). How the one-script path updates node lists.
template <typename Holds>
void repatch(std::vector<uint32_t>& list, const std::vector<uint32_t>& recheck, Holds holds) {
  std::vector<uint32_t> out;
  out.reserve(list.size() + recheck.size());
  size_t r = 0;
  for (uint32_t v : list) {
    while (r < recheck.size() && recheck[r] < v) {
      if (holds(recheck[r])) out.push_back(recheck[r]);
      ++r;
    }
    if (r < recheck.size() && recheck[r] == v) continue;  // decided with the rechecked ones
    out.push_back(v);
  }
  for (; r < recheck.size(); ++r)
    if (holds(recheck[r])) out.push_back(recheck[r]);
  list = std::move(out);
}

/// A directed graph in compressed rows: the successors of v are
/// targets[offsets[v] .. offsets[v + 1]).
struct Csr {
  std::vector<uint32_t> offsets{0};
  std::vector<uint32_t> targets;
};

/// Strongly connected components (iterative Tarjan). comp[v] is v's component; ids are
/// given in completion order, so a component comes after every component it reaches.
/// Components of more than one node are appended to `cycles` (members sorted) if given.
/// Returns the number of components.
uint32_t strongly_connected(const Csr& graph, std::vector<uint32_t>& comp,
                            std::vector<std::vector<uint32_t>>* cycles);

/// Alembic's add_nextrev: inverts the resolved references into children and dependents
/// rows and fills Revision::children / dependents. `patch`: those lists hold the previous
/// analysis's, and only rows that differ are rewritten (relink_one first, after the
/// one-script path).
void link_children(Build& build, bool patch);
/// Heads, real heads, bases, branch and merge points into build.out. `patch`: the lists
/// hold the previous analysis's; after the one-script path only the changed revisions
/// are rechecked.
void collect_graph_facts(Build& build, bool patch);

/// Fills Node::component: the weakly connected pieces of the down_revision graph
/// (separate histories). O(revisions): only the passes that need it call it.
void find_components(Build& build);

/// Finds down_revision cycles, self-loops and depends_on cycles (iterative Tarjan).
void find_cycles(Build& build);

/// Propagates branch labels exactly as Alembic's _add_branches does; fills
/// Revision::effective_labels and Build::label_set.
void propagate_branch_labels(Build& build);

/// The index of a label set in build.label_sets (0: the empty set), added when new.
uint32_t add_label_set(BuildParts& build, std::vector<uint32_t> set);
/// The index of the union of two label sets.
uint32_t unite_label_sets(BuildParts& build, uint32_t x, uint32_t y);
/// Whether Alembic's walk down an unbranched chain goes through this revision.
bool label_chain_passes(const Node& node);
/// The label names of a set, sorted (label expressions left out), one shared list per set.
const SharedStrings& label_names_of(BuildParts& build, uint32_t set);
/// After the one-script path (updated_node set): redoes the propagation only from the
/// edited revision through its descendants, and up the chains whose children changed
/// (graph_labels_update.cpp). False, with nothing changed, when the kept state does not
/// allow it (cycles, duplicated ids, no kept state): the whole propagation runs then.
bool propagate_labels_after_edit(Build& build);

/// multiple-heads, missing-revision, duplicate-revision, unexpected-base,
/// branch-label-conflict.
void add_graph_findings(Build& build);

/// Alembic 1.8 turns a scalar "" into None (tuple_rev_as_scalar), i.e. a base.
bool is_scalar_empty(const AssignedValue& v);
/// Fills the node's facts that come from its script alone.
void fill_node(const Script& script, Node& node);
/// dst = the texts of src, writing only what differs (an unchanged list costs compares).
void assign_texts(std::vector<std::string>& dst, const std::vector<StringValue>& src);
/// Appends node i's resolved references to the flat arrays (its spans point there) and
/// its missing ones to build.missing; fills Revision::depends_on.
void resolve_node(Build& build, uint32_t i);

/// The edit of script k on a Build holding the previous analysis of the same scripts
/// (graph_update.cpp). False (nothing changed yet) when the edit needs the whole
/// analysis: the script gained or lost its revision, changed its id, has branch
/// labels, or ids are duplicated.
bool update_one(Build& build, const std::vector<uint32_t>& node_of_script, size_t k);
/// After update_one: rewrites only the children/dependents rows of the edited
/// revision's old and new parents and dependencies. False when the arrays need
/// compacting (then the whole inversion runs).
bool relink_one(Build& build);

/// The range that names a revision in its file: the `revision` string, else the value,
/// else the start of the file (ids taken from the file name).
SourceRange revision_range(const Script& script);

}  // namespace alembic::detail
