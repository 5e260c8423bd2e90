// What `alembic merge heads` would write for one environment: which revisions it joins,
// which directory and file name it picks, and the file's text. Decides where and what,
// never writes: the language server turns a plan into a WorkspaceEdit or a file.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/graph.h"

namespace alembic {

/// The message the editor's merge action uses. `alembic merge heads` without -m writes
/// "empty message" and a file named `<rev>_.py`; a merge deserves a name that says so.
inline constexpr std::string_view kMergeHeadsMessage = "merge heads";

/// The revisions a merge of every head joins, in Alembic's order: the heads in load
/// order, each id once. This is exactly how `alembic merge heads` expands `heads` (its
/// real heads) unless a head is also a depends_on target; `merge heads` would leave such
/// a head unmerged, so it is named explicitly, as `alembic merge a b` would.
std::vector<std::string> merge_parents(const GraphAnalysis& graph);

/// The version location a merge of `parents` goes to, as generate_revision picks it:
/// the only version location; with several, the directory of the first parent's file.
/// When that is a subdirectory of a recursive version location (where Alembic refuses
/// with "Path ... is not represented in current version locations"), that version
/// location. nullopt when there is none.
std::optional<std::filesystem::path> merge_directory(const Environment& env,
                                                     const std::vector<Script>& scripts,
                                                     const GraphAnalysis& graph,
                                                     const std::vector<std::string>& parents);

/// <script_location>/script.py.mako (the template Alembic renders), if it can be read.
std::optional<std::string> read_script_template(const Environment& env);

/// Inputs a caller may fix (tests) or leave to their defaults.
struct MergeOptions {
  std::string message = std::string(kMergeHeadsMessage);
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::function<std::string()> new_id;                           ///< default new_revision_id
  std::function<bool(const std::filesystem::path&)> path_taken;  ///< default: exists on disk
};

/// A fresh revision id and the file it gets.
struct NewMigrationFile {
  std::string revision;
  std::filesystem::path path;  ///< absolute, inside `directory`
};

/// Picks a fresh id (never an existing revision id, never a path already taken) and names
/// its file in `directory` after `message` with the environment's file_template and
/// truncate_slug_length, as Alembic's _rev_path. Refuses (nullopt, `why`) a file_template
/// that leaves `directory`, or puts the file in a subdirectory Alembic would not load.
/// Shared by the merge and the new-migration plans (analysis/revision_plan.h).
std::optional<NewMigrationFile> place_new_migration(
    const Environment& env, const GraphAnalysis& graph, const std::filesystem::path& directory,
    std::string_view message, const MergeOptions& options, std::string* why = nullptr);

/// A new merge migration, not yet written.
struct MergePlan {
  std::string revision;              ///< the new id
  std::vector<std::string> parents;  ///< its down_revision, in order
  std::filesystem::path directory;   ///< the version location it belongs to
  std::filesystem::path path;        ///< absolute path of the new file
  std::string content;               ///< the rendered script
  std::string template_note;         ///< why the project's script.py.mako was not used, else empty
  /// "2 branches both alter table orders" when the heads' branches change the same
  /// tables (branch_conflicts.h; filled by the editor's merge action), else empty.
  std::string conflict_note;
};

/// Plans the merge of every head of an environment. The id is fresh: never an existing
/// revision id, never a path already taken (`path_taken`), so applying the plan cannot
/// overwrite anything. The file stays inside its version location (a file_template
/// climbing out with `..` is refused; a subdirectory only with recursive locations).
/// nullopt, with `why`, when there are fewer than two heads or no place for the file.
std::optional<MergePlan> plan_merge(const Environment& env, const std::vector<Script>& scripts,
                                    const GraphAnalysis& graph,
                                    std::optional<std::string_view> project_template,
                                    const MergeOptions& options = {}, std::string* why = nullptr);

}  // namespace alembic
