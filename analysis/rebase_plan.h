// "Rebase this branch onto <other head>": the linear alternative to a merge. The first
// revisions of one head's branch (those since the fork that the other head does not
// contain) are re-pointed from the fork point to the other head, so history becomes one
// line. Safe only while the branch has not been applied to any database.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/graph.h"
#include "analysis/source_edit.h"

namespace alembic {

struct RebasePlan {
  std::string head;                 ///< the head whose branch moves
  std::string onto;                 ///< the other head it moves onto
  std::vector<std::string> moved;   ///< revisions whose down_revision changes, load order
  std::vector<std::string> branch;  ///< every revision of the branch (not in onto's history)
  EditPlan plan;                    ///< down_revision values and docstring `Revises:` lines
};

/// Plans moving the branch of head `head` (index into graph.revisions) onto head
/// `onto`. nullopt with `why` when either is not a head, one contains the other, or a
/// down_revision to change is not written as plain string literals.
std::optional<RebasePlan> plan_rebase(const GraphAnalysis& graph,
                                      const std::vector<Script>& scripts, size_t head,
                                      const std::string& onto, const TextReader& read,
                                      std::string* why);

/// Edits setting a script's down_revision to `ids` (None when empty), keeping the
/// file's quote style, and its docstring `Revises:` line to match. nullopt with `why`
/// when the script has no down_revision assignment.
std::optional<EditPlan> plan_set_down_revision(const Script& script, std::string_view source,
                                               const std::vector<std::string>& ids,
                                               std::string* why);

/// Edits rewriting the docstring header from the code: `Revision ID:` = the revision,
/// `Revises:` = the down_revision ids joined by ", ". Empty plan when nothing differs.
EditPlan plan_header_rewrite(const Script& script, std::string_view source);

}  // namespace alembic
