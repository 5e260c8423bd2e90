// What `alembic revision -m MSG [--head H] [--branch-label L] [--depends-on R]` would write
// for one environment, without running env.py (so a revision_environment is never honoured):
// the parent it builds on, the file name and the script. Decides, never writes; the CLI
// writes the file, the language server turns the plan into a WorkspaceEdit.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/graph.h"
#include "analysis/merge_plan.h"

namespace alembic {

/// What the caller chose. `head`, `depends_on` are already resolved to revision ids (a
/// depends_on entry may also be a branch label, which Alembic keeps as written).
struct RevisionOptions {
  std::optional<std::string> message;  ///< nullopt: Alembic's "empty message", file `<rev>_.py`
  /// The revision to build on: a head's id, or "base" for a new root. nullopt: the only head
  /// (a new root when there is none); with several heads the plan is refused.
  std::optional<std::string> head;
  std::optional<std::string> branch_label;
  std::vector<std::string> depends_on;
  MergeOptions place;  ///< time, id source, what counts as a taken path (message unused)
};

/// A new migration, not yet written.
struct RevisionPlan {
  std::string revision;               ///< the new id
  std::optional<std::string> parent;  ///< its down_revision; nullopt: a new root
  std::filesystem::path directory;    ///< the version location it belongs to
  std::filesystem::path path;         ///< absolute path of the new file
  std::string content;                ///< the rendered script
  std::string template_note;          ///< why the project's script.py.mako was not used
};

/// "a1b2c3d4e5f6 (add users), 0f9e8d7c6b5a (add orders)": the heads of `graph` for a
/// message telling the user which to choose.
std::string describe_heads(const GraphAnalysis& graph, const std::vector<Script>& scripts);

/// Plans the new migration. nullopt, with `why`, when the head is ambiguous (several and
/// none chosen: the reason lists them), the chosen one is not a head or not a revision,
/// the branch label is taken, or there is no place for the file.
std::optional<RevisionPlan> plan_revision(const Environment& env,
                                          const std::vector<Script>& scripts,
                                          const GraphAnalysis& graph,
                                          std::optional<std::string_view> project_template,
                                          const RevisionOptions& options,
                                          std::string* why = nullptr);

}  // namespace alembic
