// References to revisions in migration files, their resolution with Alembic's lookup
// rules (alembic/script/revision.py: exact ids for down_revision, ids then branch labels
// for depends_on), and per-revision facts for hovers.
#include "analysis/references.h"

#include <algorithm>
#include <deque>
#include <unordered_set>

namespace alembic {

namespace {

// Alembic 1.8 turns a scalar "" into None: a base, naming no revision.
bool is_scalar_empty(const AssignedValue& v) {
  return !v.is_sequence && v.unresolved.empty() && v.strings.size() == 1 &&
         v.strings[0].text.empty();
}

void add_strings(const AssignedValue& value, ReferenceKind kind,
                 std::vector<RevisionReference>& out) {
  if (!value.present || value.is_none) return;
  for (const StringValue& s : value.strings)
    if (!s.text.empty()) out.push_back({kind, s.text, s.range});
}

std::vector<size_t> ids_named(const GraphAnalysis& graph, const std::string& id) {
  auto it = graph.by_id.find(id);
  if (it == graph.by_id.end()) return {};
  return it->second;
}

}  // namespace

const char* reference_kind_name(ReferenceKind kind) {
  switch (kind) {
    case ReferenceKind::Revision:
      return "revision";
    case ReferenceKind::DownRevision:
      return "down_revision";
    case ReferenceKind::DependsOn:
      return "depends_on";
    case ReferenceKind::BranchLabel:
      return "branch_labels";
    case ReferenceKind::DocstringRevisionId:
      return "Revision ID";
    case ReferenceKind::DocstringRevises:
      return "Revises";
  }
  return "reference";
}

std::vector<RevisionReference> collect_references(const ParsedMigration& parsed) {
  std::vector<RevisionReference> refs;
  const AssignedValue& rev = parsed.revision;
  // Only a lone string declares an id (a tuple or a call is an invalid revision).
  if (rev.present && !rev.is_none && !rev.is_sequence && rev.strings.size() == 1 &&
      rev.unresolved.empty() && !rev.strings[0].text.empty())
    refs.push_back({ReferenceKind::Revision, rev.strings[0].text, rev.strings[0].range});
  if (!is_scalar_empty(parsed.down_revision))
    add_strings(parsed.down_revision, ReferenceKind::DownRevision, refs);
  add_strings(parsed.depends_on, ReferenceKind::DependsOn, refs);
  add_strings(parsed.branch_labels, ReferenceKind::BranchLabel, refs);
  const DocstringHeader& doc = parsed.docstring;
  if (doc.revision_id && !doc.revision_id->text.empty())
    refs.push_back(
        {ReferenceKind::DocstringRevisionId, doc.revision_id->text, doc.revision_id->range});
  for (const StringValue& s : doc.revises)
    if (!s.text.empty()) refs.push_back({ReferenceKind::DocstringRevises, s.text, s.range});
  std::stable_sort(refs.begin(), refs.end(), [](const auto& a, const auto& b) {
    return a.range.start_byte < b.range.start_byte;
  });
  return refs;
}

const RevisionReference* reference_at(const std::vector<RevisionReference>& refs,
                                      uint32_t byte_offset) {
  for (const RevisionReference& r : refs)
    if (r.range.contains(byte_offset)) return &r;
  // Editors put the cursor between characters: just after a token still means it.
  for (const RevisionReference& r : refs)
    if (r.range.end_byte == byte_offset && r.range.end_byte > r.range.start_byte) return &r;
  return nullptr;
}

SourceRange revision_declaration_range(const Script& script) {
  const AssignedValue& rev = script.parsed.revision;
  if (!rev.present) return SourceRange{};
  if (rev.strings.size() == 1 && !rev.is_sequence) return rev.strings[0].range;
  return rev.value_range;
}

std::vector<size_t> revisions_with_label(const GraphAnalysis& graph, std::string_view label) {
  std::vector<size_t> found;
  for (size_t i = 0; i < graph.revisions.size(); ++i) {
    const auto& labels = graph.revisions[i].branch_labels;
    if (std::find(labels.begin(), labels.end(), label) != labels.end()) found.push_back(i);
  }
  return found;
}

std::vector<size_t> resolve_reference(const GraphAnalysis& graph, const RevisionReference& ref) {
  switch (ref.kind) {
    case ReferenceKind::DependsOn: {
      // Alembic's revision map holds ids and own branch labels; a label equal to an id
      // is a conflict Alembic rejects, so trying the id first loses nothing.
      std::vector<size_t> by_id = ids_named(graph, ref.text);
      return by_id.empty() ? revisions_with_label(graph, ref.text) : by_id;
    }
    case ReferenceKind::BranchLabel:
      return revisions_with_label(graph, ref.text);
    default:
      // down_revision and the docstring name exact ids: no prefixes, no labels.
      return ids_named(graph, ref.text);
  }
}

std::vector<ScriptReference> find_references(const GraphAnalysis& graph,
                                             const std::vector<Script>& scripts,
                                             const std::string& id, bool include_declarations) {
  // The labels through which depends_on (and a label declaration) reach this id: the
  // own labels of every copy of it, unless the text is itself an id (ids win).
  std::unordered_set<std::string> labels;
  for (size_t index : ids_named(graph, id))
    for (const std::string& label : graph.revisions[index].branch_labels)
      if (!graph.by_id.contains(label)) labels.insert(label);

  std::vector<ScriptReference> found;
  for (size_t s = 0; s < scripts.size(); ++s) {
    for (RevisionReference& ref : collect_references(scripts[s].parsed)) {
      bool names_it = false;
      switch (ref.kind) {
        case ReferenceKind::DependsOn:
        case ReferenceKind::BranchLabel:
          names_it = ref.text == id || labels.contains(ref.text);
          break;
        default:
          names_it = ref.text == id;
          break;
      }
      // A branch_labels element equal to the id is a label conflict, not an alias.
      if (ref.kind == ReferenceKind::BranchLabel && ref.text == id) names_it = false;
      if (!names_it || (ref.is_declaration() && !include_declarations)) continue;
      found.push_back({s, std::move(ref)});
    }
  }
  return found;
}

std::optional<BaseDistance> distance_from_base(const GraphAnalysis& graph, size_t revision) {
  const size_t n = graph.revisions.size();
  if (revision >= n) return std::nullopt;
  const std::unordered_set<std::string> bases(graph.bases.begin(), graph.bases.end());
  // Breadth-first over down_revision: the first base dequeued is the nearest. Parents
  // resolve to the copy Alembic keeps (the last loaded), as its revision map does.
  std::vector<size_t> steps(n, SIZE_MAX);
  std::deque<size_t> queue{revision};
  steps[revision] = 0;
  while (!queue.empty()) {
    const size_t at = queue.front();
    queue.pop_front();
    const Revision& rev = graph.revisions[at];
    if (rev.down_revisions.empty() && bases.contains(rev.id))
      return BaseDistance{steps[at], rev.id};
    for (const std::string& parent : rev.down_revisions) {
      const long p = graph.find(parent);
      if (p < 0 || steps[static_cast<size_t>(p)] != SIZE_MAX) continue;
      steps[static_cast<size_t>(p)] = steps[at] + 1;
      queue.push_back(static_cast<size_t>(p));
    }
  }
  return std::nullopt;
}

RevisionFacts revision_facts(const GraphAnalysis& graph, size_t revision) {
  RevisionFacts f;
  if (revision >= graph.revisions.size()) return f;
  const Revision& rev = graph.revisions[revision];
  f.revision = revision;
  f.id = rev.id;
  f.parents = rev.down_revisions;
  f.children = rev.children;
  f.depends_on = rev.depends_on;
  f.dependents = rev.dependents;
  f.own_labels = rev.branch_labels;
  f.branch_labels = rev.effective_labels;
  // Per copy, like the graph: only the kept copy of a duplicated id receives children,
  // so a stale copy is a head of its own (Alembic lists it in `heads`).
  f.head = rev.children.empty();
  f.effective_head = f.head && !rev.dependents.empty();
  f.base = rev.down_revisions.empty() &&
           std::find(graph.bases.begin(), graph.bases.end(), rev.id) != graph.bases.end();
  f.branch_point = rev.children.size() > 1;
  f.merge_point = std::binary_search(graph.merge_points.begin(), graph.merge_points.end(), rev.id);
  auto copies = graph.by_id.find(rev.id);
  f.definitions = copies == graph.by_id.end() ? 1 : copies->second.size();
  f.kept = graph.find(rev.id) == static_cast<long>(revision);
  f.distance = distance_from_base(graph, revision);
  return f;
}

const Finding* finding_at(const GraphAnalysis& graph, std::string_view path,
                          const SourceRange& range, std::string_view code) {
  for (const Finding& f : graph.findings)
    if (f.code == code && f.location.path == path && f.location.range == range) return &f;
  return nullptr;
}

}  // namespace alembic
