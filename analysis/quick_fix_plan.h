// The edits behind the quick fixes for findings that concern one migration file:
// pointing a reference elsewhere, turning an "orphaned merge" (parents in depends_on)
// into a real merge, and the heads a revision can be attached to without a cycle.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/graph.h"
#include "analysis/source_edit.h"

namespace alembic {

/// Index into graph.revisions of the revision declared by script `script`, or -1.
long revision_of_script(const GraphAnalysis& graph, size_t script);

/// The down_revision or depends_on element of `script` written exactly at `range`.
const StringValue* reference_value_at(const Script& script, const SourceRange& range);

/// Heads (load order, each id once) that revision `revision` may take as a parent
/// without creating a cycle: every head that is not itself or one of its descendants.
std::vector<std::string> attachable_heads(const GraphAnalysis& graph, size_t revision);

/// The ids in `script`'s depends_on that name heads of `graph`, in source order.
std::vector<std::string> depends_on_heads(const GraphAnalysis& graph, const Script& script);

/// Moves the depends_on entries naming heads into down_revision (a merge of them), keeps
/// any other depends_on entries (None when none remain), and updates `Revises:`.
/// nullopt with `why` when depends_on names no head.
std::optional<EditPlan> plan_orphaned_merge(const GraphAnalysis& graph, const Script& script,
                                            std::string_view source, std::string* why);

/// A module-level assignment to a misspelling of `down_revision` (`down_revison = ...`,
/// at most two letters off) in `source`: the edit renaming it to down_revision.
std::optional<TextEdit> misspelled_down_revision(const std::string& path, std::string_view source);

/// Removes the string element written at `element` from `value` (the script's
/// branch_labels or depends_on), keeping the other elements and any expressions as
/// written: None when nothing remains, a one-element tuple `('x',)` otherwise.
std::optional<EditPlan> plan_remove_element(const Script& script, const AssignedValue& value,
                                            std::string_view source, const SourceRange& element,
                                            std::string* why);

/// A valid id close to an invalid one: each forbidden character (@ - + :) replaced by
/// '_'. Empty when that id is not valid or already taken.
std::string valid_id_like(const GraphAnalysis& graph, std::string_view id);

}  // namespace alembic
