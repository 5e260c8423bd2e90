// branch-conflict: with several heads, the tables (and columns) that migrations on two
// branches since their common ancestor both change. Reads only the migrations of those
// branches (analysis/operations.h), when the history has several heads.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/graph.h"
#include "analysis/model.h"

namespace alembic {

/// A migration's current source by Script::path (the editor's open text, or the disk's);
/// nullopt when it cannot be read (its branch is then read without it).
using SourceLoader = std::function<std::optional<std::string>(const std::string& path)>;

/// Most revisions read on each branch of a pair of heads: two histories that parted long
/// ago (or never met) are not what a merge conflict is about, and cost stays bounded.
inline constexpr size_t kMaxBranchRevisions = 200;

/// One branch-conflict finding per pair of heads and table both branches change: on the
/// first operation of the later head's branch, the other branch's operations as related
/// locations, both heads in `revisions`. Heads without a common ancestor are left alone.
void add_branch_conflicts(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                          const SourceLoader& load, std::vector<Finding>& out,
                          std::set<std::string>* tables = nullptr);

/// For the merge action: "2 branches both alter table orders" ("3 branches both alter
/// tables orders, users": the heads involved, the tables by name), or "" when no two
/// branches change the same table.
std::string merge_conflict_note(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                                const SourceLoader& load);

}  // namespace alembic
