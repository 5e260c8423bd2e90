// Where migrations name revisions, what those names resolve to, and the facts about a
// revision that an editor shows: the rules behind go-to-definition, find-references and
// hover. Alembic's lookup rules live here once; the server only converts positions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/graph.h"
#include "analysis/model.h"

namespace alembic {

/// What a piece of a migration says about the revision it names.
enum class ReferenceKind {
  Revision,             ///< the `revision` value: declares the id
  DownRevision,         ///< an element of `down_revision` (must be an exact id)
  DependsOn,            ///< an element of `depends_on` (an exact id or an own branch label)
  BranchLabel,          ///< an element of `branch_labels`: declares a label
  DocstringRevisionId,  ///< `Revision ID: x` in the docstring (cosmetic for Alembic)
  DocstringRevises,     ///< an id on the docstring's `Revises:` line (cosmetic for Alembic)
};

/// "revision", "down_revision", "depends_on", "branch_labels", "Revision ID", "Revises".
const char* reference_kind_name(ReferenceKind kind);

/// One place a migration names a revision (or a branch label).
struct RevisionReference {
  ReferenceKind kind = ReferenceKind::Revision;
  std::string text;   ///< the name as written (string value, or the docstring text)
  SourceRange range;  ///< the literal (quotes included), the bound name, or docstring text

  /// Declarations introduce a name (`revision`, `branch_labels`); the rest use one.
  bool is_declaration() const {
    return kind == ReferenceKind::Revision || kind == ReferenceKind::BranchLabel;
  }
};

/// Every place a parsed migration names a revision or label, in source order. A scalar
/// `down_revision = ""` (Alembic's base) and non-literal values name nothing.
std::vector<RevisionReference> collect_references(const ParsedMigration& parsed);

/// The reference under a cursor at `byte_offset`: one whose range holds it, else one
/// ending exactly there (a cursor just after the closing quote). nullptr when none.
const RevisionReference* reference_at(const std::vector<RevisionReference>& refs,
                                      uint32_t byte_offset);

/// Where a script declares its id: the `revision` string, else the whole `revision`
/// value, else an empty range at the start of the file (an id taken from the file name).
SourceRange revision_declaration_range(const Script& script);

/// Indexes into graph.revisions of the revisions declaring `label` among their own
/// branch_labels, load order (more than one only when the label conflicts).
std::vector<size_t> revisions_with_label(const GraphAnalysis& graph, std::string_view label);

/// Indexes into graph.revisions a reference names, load order. An id names every
/// revision defining it (a duplicated id: all copies). `depends_on` text that is no id
/// names the revision(s) carrying it as an own branch label, as Alembic resolves it; a
/// `branch_labels` element names the revision(s) declaring that label. `down_revision`
/// and the docstring take exact ids only. Empty when the name is missing.
std::vector<size_t> resolve_reference(const GraphAnalysis& graph, const RevisionReference& ref);

/// A reference found in one of an environment's scripts.
struct ScriptReference {
  size_t script = 0;  ///< index into the scripts vector
  RevisionReference reference;
};

/// Every reference to revision `id` in `scripts` (the vector the graph was built from),
/// by script then source order: down_revision and depends_on of its children and
/// dependents, depends_on naming one of its own branch labels, docstring `Revises:` and
/// `Revision ID:` mentions. With `include_declarations`, also each `revision` declaring
/// the id and each `branch_labels` element declaring one of its labels (a label is an
/// alias of its revision wherever Alembic accepts one).
std::vector<ScriptReference> find_references(const GraphAnalysis& graph,
                                             const std::vector<Script>& scripts,
                                             const std::string& id, bool include_declarations);

/// How far a revision is from a base.
struct BaseDistance {
  size_t steps = 0;  ///< down_revision steps; 0 for a base itself
  std::string base;  ///< the base reached
};

/// The fewest down_revision steps from revision `revision` (index into graph.revisions)
/// to a base. Shortest rather than longest because it is defined even when the history
/// has cycles, and for a linear history both agree. nullopt when no base is reachable
/// (a missing parent, a cycle, an unreadable down_revision). Breadth-first, O(N).
std::optional<BaseDistance> distance_from_base(const GraphAnalysis& graph, size_t revision);

/// What the graph says about one revision (one copy of a duplicated id).
struct RevisionFacts {
  size_t revision = 0;  ///< index into graph.revisions
  std::string id;
  std::vector<std::string> parents;        ///< down_revision, as written
  std::vector<std::string> children;       ///< through down_revision, load order
  std::vector<std::string> depends_on;     ///< resolved ids
  std::vector<std::string> dependents;     ///< revisions naming it in depends_on
  std::vector<std::string> own_labels;     ///< branch_labels as written
  std::vector<std::string> branch_labels;  ///< effective, after Alembic's propagation
  bool head = false;                       ///< nobody's down_revision (listed by `alembic heads`)
  bool effective_head = false;             ///< a head that some depends_on targets
  bool base = false;                       ///< empty down_revision
  bool branch_point = false;               ///< more than one child
  bool merge_point = false;                ///< more than one down_revision
  size_t definitions = 1;                  ///< files defining this id (more than one: duplicated)
  bool kept = true;                        ///< this copy is the one Alembic keeps (the last loaded)
  std::optional<BaseDistance> distance;    ///< see distance_from_base
};

/// The facts of revision `revision` (index into graph.revisions).
RevisionFacts revision_facts(const GraphAnalysis& graph, size_t revision);

/// The finding with `code` located exactly at `range` of `path` (e.g. the
/// missing-revision finding of an unknown down_revision), or nullptr.
const Finding* finding_at(const GraphAnalysis& graph, std::string_view path,
                          const SourceRange& range, std::string_view code);

}  // namespace alembic
