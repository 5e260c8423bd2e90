// Internal to the graph analysis: the working state analyze() builds and the passes that
// read it (cycles, branch labels, graph findings). Not part of the library's interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/graph.h"

namespace alembic::detail {

inline constexpr uint32_t kNoNode = UINT32_MAX;

/// A reference (down_revision or depends_on element) that names no revision.
struct MissingReference {
  uint32_t node;             ///< the revision that holds the reference
  const StringValue* text;   ///< the string as written
  bool in_down_revision;     ///< else depends_on
};

/// A branch label written twice, or equal to a revision id.
struct LabelConflict {
  uint32_t node;            ///< the revision whose label collides (the later one)
  const StringValue* label;
  uint32_t other;           ///< the revision already holding that name
  bool other_is_id;         ///< the name is `other`'s revision id, not its label
};

/// Per-revision working data, parallel to GraphAnalysis::revisions.
struct Node {
  const Script* script = nullptr;
  /// The last loaded copy of its id: the one Alembic's revision map holds.
  bool canonical = true;
  /// Whether Alembic walks this revision's edges: the canonical copy, or any copy that
  /// Alembic also maps under a branch label of its own.
  bool contributes_edges = true;
  /// down_revision is assigned and every element is a literal.
  bool parents_known = true;
  bool is_base = false;       ///< Alembic's is_base: down_revision is None / empty
  bool is_real_base = false;  ///< also no depends_on
  uint32_t down_count = 0;    ///< elements written in down_revision (merge point when > 1)
  /// Resolved down_revision targets (canonical copies), with the string naming each.
  std::vector<std::pair<uint32_t, const StringValue*>> parents;
  /// Resolved depends_on targets (by id or by own branch label).
  std::vector<std::pair<uint32_t, const StringValue*>> deps;
  std::vector<uint32_t> children;    ///< unique, first-seen order (Alembic's nextrev)
  std::vector<uint32_t> dependents;  ///< unique, first-seen order
  uint32_t next_count = 0;           ///< |children ∪ dependents| (Alembic's _all_nextrev)
  uint32_t component = 0;            ///< weakly connected through down_revision edges
};

/// Everything the passes share while one environment is analysed.
struct Build {
  const std::vector<Script>& scripts;
  const AnalysisOptions& options;
  GraphAnalysis& out;

  std::vector<Node> nodes;
  /// id -> canonical node. Views point into out.revisions[i].id (storage is reserved
  /// up front, so they stay valid for the whole analysis).
  std::unordered_map<std::string_view, uint32_t> canonical;
  /// own branch label -> the first revision that declares it
  std::unordered_map<std::string_view, uint32_t> labels;

  std::vector<MissingReference> missing;
  std::vector<LabelConflict> label_conflicts;
  /// Scripts that assign `revision` to something that is not a string literal: their
  /// ids are unknown, so "missing" references may in fact point at them.
  std::vector<size_t> unknown_id_scripts;
  /// Some down_revision could not be read: heads and bases may be incomplete.
  bool has_unknown_parents = false;

  /// Branch-label keys per node after propagation: real labels, plus "\x01expr" for
  /// label expressions that are not literals (they still mark an intended branch).
  std::vector<std::vector<std::string>> label_keys;

  Build(const std::vector<Script>& s, const AnalysisOptions& o, GraphAnalysis& g)
      : scripts(s), options(o), out(g) {}

  uint32_t canonical_of(uint32_t node) const;
  uint32_t lookup(std::string_view id) const;  ///< canonical node or kNoNode
};

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

/// Finds down_revision cycles, self-loops and depends_on cycles (iterative Tarjan).
void find_cycles(Build& build);

/// Propagates branch labels exactly as Alembic's _add_branches does; fills
/// Revision::effective_labels and Build::label_keys.
void propagate_branch_labels(Build& build);

/// multiple-heads, missing-revision, duplicate-revision, unexpected-base,
/// branch-label-conflict.
void add_graph_findings(Build& build);

/// The range that names a revision in its file: the `revision` string, else the value,
/// else the start of the file (ids taken from the file name).
SourceRange revision_range(const Script& script);

}  // namespace alembic::detail
