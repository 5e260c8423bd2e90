// branch-conflict: with several heads, the tables (and columns) that migrations on two
// branches since their common ancestor both change. Reads only the migrations of those
// branches (analysis/operations.h), when the history has several heads.
//
// In two steps, so that a caller that keeps state (the editor) redoes only what changed:
// branch_pairs walks the graph (integers, no file read), and add_branch_conflicts joins
// each branch's table touches, which the caller gives per revision (read from the file,
// or kept from the last time the same text was read).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/graph.h"
#include "analysis/model.h"
#include "analysis/operations.h"

namespace alembic {

/// A migration's current source by Script::path (the editor's open text, or the disk's);
/// nullopt when it cannot be read (its branch is then read without it).
using SourceLoader = std::function<std::optional<std::string>(const std::string& path)>;

/// Most revisions read on each branch of a pair of heads: two histories that parted long
/// ago (or never met) are not what a merge conflict is about, and cost stays bounded.
inline constexpr size_t kMaxBranchRevisions = 200;

/// Where one migration's upgrade() changes one table: each operation's file and range
/// (with the operation in words), and the columns it names.
struct TableTouch {
  std::vector<RelatedLocation> places;
  std::set<std::string> columns;
  bool operator==(const TableTouch&) const = default;
};
/// By table name; only literal table names, only operations that change the schema.
using TableTouches = std::map<std::string, TableTouch>;

/// The tables a migration's upgrade() changes (`path` is put in the locations).
TableTouches table_touches(const std::string& path, const MigrationOperations& operations);

/// Two heads (indexes into graph.revisions) that share an ancestor, and the revisions only
/// each reaches (itself included; nearest first, at most kMaxBranchRevisions).
struct BranchPair {
  size_t head_a = 0, head_b = 0;
  std::vector<size_t> branch_a, branch_b;
  bool operator==(const BranchPair&) const = default;
};

/// Every pair of heads with a common ancestor, in the order of graph.head_indexes. None
/// below two heads or above 20 (a layout, not a conflict); two copies of one id are
/// duplicate-revision's business. One walk from each head over integers: a few
/// milliseconds at 100,000 revisions, whatever the number of pairs.
std::vector<BranchPair> branch_pairs(const GraphAnalysis& graph);

/// The same, asking `stop` every few thousand steps of the walk (for the editor's quiet
/// moments, which end when a message arrives): false, with `out` incomplete, as soon as
/// it says yes; true with `out` filled otherwise.
bool branch_pairs(const GraphAnalysis& graph, const std::function<bool()>& stop,
                  std::vector<BranchPair>& out);

/// A revision's touches (index into graph.revisions), valid until the call returns.
using TouchesOf = std::function<const TableTouches&(size_t revision)>;

/// One branch-conflict finding per pair of heads and table both branches change: on the
/// first operation of the later head's branch, the other branch's operations as related
/// locations, both heads in `revisions`. Heads without a common ancestor are left alone.
/// `tables` (if given) receives the tables of every finding.
void add_branch_conflicts(const GraphAnalysis& graph, const std::vector<BranchPair>& pairs,
                          const TouchesOf& touches_of, std::vector<Finding>& out,
                          std::set<std::string>* tables = nullptr);

/// The same, reading each migration on the branches once with `load`.
void add_branch_conflicts(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                          const SourceLoader& load, std::vector<Finding>& out,
                          std::set<std::string>* tables = nullptr);

/// For the merge action: "2 branches both alter table orders" ("3 branches both alter
/// tables orders, users": the heads involved, the tables by name), or "" when no two
/// branches change the same table.
std::string merge_conflict_note(const GraphAnalysis& graph, const std::vector<Script>& scripts,
                                const SourceLoader& load);

}  // namespace alembic
