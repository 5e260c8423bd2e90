#include "server/features/merge_action.h"

#include <spdlog/spdlog.h>

#include "analysis/branch_conflicts.h"
#include "server/uri.h"

namespace alembic::server {

namespace fs = std::filesystem;

std::optional<MergePlan> plan_merge_for(Session& session, const std::string& path,
                                        std::string* why) {
  const EnvironmentState* env = session.environment_of(path);
  if (!env) {
    if (why) *why = path + " is not a migration of any Alembic environment in the workspace";
    return std::nullopt;
  }
  MergeOptions options;
  // Taken means: on disk, or known to the workspace (an unsaved editor buffer).
  options.path_taken = [&session, env](const fs::path& candidate) {
    std::error_code ec;
    const std::string p = normal_path(candidate);
    return fs::exists(fs::symlink_status(candidate, ec)) || env->script_index(p) >= 0 ||
           session.is_open(p);
  };
  const std::optional<std::string> mako = read_script_template(env->environment);
  std::optional<MergePlan> plan =
      plan_merge(env->environment, env->scripts, env->graph,
                 mako ? std::optional<std::string_view>(*mako) : std::nullopt, options, why);
  if (plan && !plan->template_note.empty())
    spdlog::warn("merge: using Alembic's default template: {}", plan->template_note);
  // What the branches being merged both change: read from the heads' branches only.
  if (plan)
    plan->conflict_note = merge_conflict_note(
        env->graph, env->scripts, [&session](const std::string& p) -> std::optional<std::string> {
          return session.text_of(p);
        });
  return plan;
}

std::string merge_title(const MergePlan& plan) {
  std::string title =
      "Merge " + std::to_string(plan.parents.size()) + " heads into a new migration";
  if (!plan.conflict_note.empty()) title += " (" + plan.conflict_note + ")";
  return title;
}

protocol::WorkspaceEdit create_file_edit(const fs::path& target, const std::string& content) {
  const std::string uri = path_to_uri(target.string());
  protocol::WorkspaceEdit edit;
  edit.document_changes = {
      protocol::CreateFile{uri, {}, std::nullopt},
      protocol::TextDocumentEdit{{uri, std::nullopt}, {{{}, content, std::nullopt}}}};
  return edit;
}

protocol::WorkspaceEdit create_file_edit(const MergePlan& plan) {
  return create_file_edit(plan.path, plan.content);
}

protocol::WorkspaceEdit fill_file_edit(const MergePlan& plan, bool document_changes) {
  const std::string uri = path_to_uri(plan.path.string());
  // The file is empty: the whole script goes in at 0:0.
  const std::vector<protocol::TextEdit> edits = {{{}, plan.content, std::nullopt}};
  protocol::WorkspaceEdit edit;
  if (document_changes) {
    edit.document_changes = {protocol::TextDocumentEdit{{uri, std::nullopt}, edits}};
  } else {
    edit.changes = {{uri, edits}};
  }
  return edit;
}

}  // namespace alembic::server
