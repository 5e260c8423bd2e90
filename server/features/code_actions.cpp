// textDocument/codeAction and workspace/executeCommand: "Merge N heads into a new
// migration", the file `alembic merge heads` would write (see analysis/merge_plan.h),
// followed by the quick fixes of every other finding (quick_fixes.cpp) and, beside the
// merge, "Rebase this branch onto <other head>" (rebase_action.cpp).
//
// Offered as a preferred quickfix on each multiple-heads diagnostic the client sends
// back (error or warning: an informational one describes an intended multi-branch
// layout, where a merge is not the fix), and as a `source.alembic.mergeHeads` action
// anywhere in a migration of an environment with more than one head.
//
// How the file gets created depends on the client:
// - code action literals + documentChanges + "create": the action carries the
//   WorkspaceEdit (CreateFile without overwrite, then the text);
// - otherwise the action is the command `alembic.mergeHeads` [{uri}], which plans again
//   and: sends the same WorkspaceEdit through workspace/applyEdit when the client can
//   create files; reserves the name on disk (exclusive create, empty) and sends an
//   edit filling it when the client can edit but not create; writes the file itself
//   (exclusive create) when the client cannot apply edits at all.
#include <functional>

#include <spdlog/spdlog.h>

#include "analysis/findings.h"
#include "analysis/head_file.h"
#include "protocol/log.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/head_file_edit.h"
#include "server/features/history_actions.h"
#include "server/features/merge_action.h"
#include "server/features/quick_fixes.h"
#include "server/features/revision_action.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::RpcError;

constexpr std::string_view kMergeCommand = "alembic.mergeHeads";
constexpr std::string_view kMergeKind = "source.alembic.mergeHeads";
constexpr std::string_view kQuickFix = "quickfix";

using protocol::CodeAction;
using protocol::CodeActionOrCommand;
using protocol::Command;
using Actions = std::vector<CodeActionOrCommand>;

// CodeActionContext.only is hierarchical: "source" admits "source.alembic.mergeHeads".
bool kind_allowed(const std::optional<std::vector<std::string>>& only, std::string_view kind) {
  if (!only) return true;
  for (const std::string& prefix : *only) {
    if (prefix.empty() || kind == prefix ||
        (kind.starts_with(prefix) && kind.size() > prefix.size() && kind[prefix.size()] == '.'))
      return true;
  }
  return false;
}

bool is_merge_diagnostic(const protocol::ClientDiagnostic& d) {
  if (!d.is_object || d.code != codes::kMultipleHeads) return false;
  if (d.source && *d.source != "alembic") return false;  // another server's
  return !d.severity || *d.severity <= static_cast<int>(Severity::Warning);
}

// alembic.mergeHeads' argument: {uri} (a bare uri string is accepted too).
struct MergeArgument {
  std::string uri;
};

void to_json(json& out, const MergeArgument& value) {
  out = {{"uri", value.uri}};
}

void from_json(const json& in, MergeArgument& value) {
  if (in.is_string()) {
    value.uri = in.get<std::string>();
  } else {
    protocol::read_field(in, "uri", value.uri);
  }
}

Command merge_command(const MergePlan& plan, const std::string& uri) {
  return {merge_title(plan), std::string(kMergeCommand), {MergeArgument{uri}}};
}

// The merge actions: a quickfix on each multiple-heads diagnostic and the source action.
Actions merge_actions(Session& session, const std::string& path, const std::string& uri,
                      const std::vector<json>& merge_diagnostics, bool quickfix, bool source) {
  if (!quickfix && !source) return {};
  const EnvironmentState* env = session.environment_of(path);
  if (!env || merge_parents(env->graph).size() < 2) return {};

  std::string why;
  const std::optional<MergePlan> plan = plan_merge_for(session, path, &why);
  if (!plan) {
    spdlog::info("no merge action for {}: {}", path, why);
    return {};
  }
  // A client without CodeAction literals takes Command[]; one command does it all.
  if (!session.client.code_action_literals) return {merge_command(*plan, uri)};

  const bool can_create = session.client.document_changes && session.client.create_files;
  auto action = [&](std::string_view kind) {
    CodeAction a;
    a.title = merge_title(*plan);
    a.kind = std::string(kind);
    if (can_create) {
      a.edit = create_file_edit(*plan);
      add_head_file_edit_for_new_revision(session, *env, plan->revision, plan->parents, *a.edit);
    } else {
      a.command = merge_command(*plan, uri);
    }
    return a;
  };
  Actions actions;
  if (quickfix) {
    CodeAction fix = action(kQuickFix);
    fix.diagnostics = merge_diagnostics;
    fix.is_preferred = true;
    actions.push_back(std::move(fix));
  }
  if (source) actions.push_back(action(kMergeKind));
  return actions;
}

Actions code_actions(Session& session, const protocol::CodeActionParams& params) {
  const std::string path = document_path(params.text_document);
  const std::string& uri = params.text_document.uri;
  const auto& only = params.context.only;
  const std::vector<protocol::ClientDiagnostic>& diagnostics = params.context.diagnostics;
  std::vector<json> merge_diagnostics;
  for (const protocol::ClientDiagnostic& d : diagnostics)
    if (is_merge_diagnostic(d)) merge_diagnostics.push_back(d.value);

  const bool quickfix = kind_allowed(only, kQuickFix);
  Actions actions =
      merge_actions(session, path, uri, merge_diagnostics, quickfix && !merge_diagnostics.empty(),
                    kind_allowed(only, kMergeKind));
  // The other fixes are edits, which only CodeAction literals can carry; they follow
  // the merge, so a multiple-heads diagnostic lists the merge first, then the rebases.
  if (quickfix && session.client.code_action_literals) {
    std::vector<CodeAction> fixes = quick_fixes(session, path, diagnostics);
    // Quick fixes before the source action, so the rebase sits right beside the merge.
    auto is_quick_fix = [](const CodeActionOrCommand& a) {
      const CodeAction* action = std::get_if<CodeAction>(&a);
      return action && action->kind == kQuickFix;
    };
    auto at = actions.begin();
    while (at != actions.end() && is_quick_fix(*at)) ++at;
    for (CodeAction& fix : fixes) at = std::next(actions.insert(at, std::move(fix)));
    // The head file is no migration: its findings get their own fixes.
    for (CodeAction& fix : head_file_actions(session, path, diagnostics))
      actions.push_back(std::move(fix));
  }
  for (CodeActionOrCommand& a : new_migration_actions(session, params))
    actions.push_back(std::move(a));
  return actions;
}

// Sends workspace/applyEdit; on refusal, runs `undo` and tells the user why.
void apply_through_client(Session& session, const MergePlan& plan, protocol::WorkspaceEdit edit,
                          std::function<void()> undo) {
  const std::string file = plan.path.string();
  session.endpoint.send_request(
      "workspace/applyEdit", protocol::ApplyWorkspaceEditParams{merge_title(plan), std::move(edit)},
      [&session, file, undo = std::move(undo)](const protocol::Reply& reply) {
        const auto result =
            reply.ok() ? protocol::try_read<protocol::ApplyWorkspaceEditResult>(reply.result)
                       : std::nullopt;
        if (result && result->applied) return;
        std::string reason = !reply.ok() ? reply.error->message()
                             : result    ? result->failure_reason
                                         : std::string();
        if (undo) undo();
        spdlog::warn("the client did not apply the merge edit for {}: {}", file, reason);
        protocol::show_message(session.endpoint, protocol::MessageType::Warning,
                               "The merge migration " + file + " was not created" +
                                   (reason.empty() ? std::string(".") : ": " + reason));
      });
}

// What alembic.mergeHeads answers: the file planned, and who writes it.
struct MergeResult {
  std::string path;
  std::string revision;
  std::vector<std::string> parents;
  std::string applied_by;  ///< "client" or "server"
  /// Other files the same edit changes or the server wrote (the head files).
  std::vector<std::string> also_changed;
};

void to_json(json& out, const MergeResult& value) {
  out = {{"path", value.path},
         {"revision", value.revision},
         {"parents", value.parents},
         {"appliedBy", value.applied_by},
         {"alsoChanged", value.also_changed}};
}

MergeResult execute_command(Session& session, const protocol::ExecuteCommandParams& params) {
  if (params.command != kMergeCommand)
    throw RpcError(ErrorCode::InvalidParams, "unknown command '" + params.command + "'");
  if (params.arguments.empty())
    throw RpcError(ErrorCode::InvalidParams,
                   "alembic.mergeHeads takes one argument: {\"uri\": <a migration file>}");
  const std::string uri = protocol::read_as<MergeArgument>(params.arguments[0], "arguments[0]").uri;
  const std::optional<std::string> raw_path = uri_to_path(uri);
  if (!raw_path) throw RpcError(ErrorCode::InvalidParams, "not a file URI: " + uri);

  std::string why;
  const std::optional<MergePlan> plan = plan_merge_for(session, normal_path(*raw_path), &why);
  if (!plan) throw RpcError(ErrorCode::RequestFailed, "cannot merge heads: " + why);
  MergeResult result{plan->path.string(), plan->revision, plan->parents, "", {}};
  const ClientSupport& client = session.client;
  const EnvironmentState* env = session.environment_of(normal_path(*raw_path));
  const std::vector<std::string> heads_after =
      env ? heads_after_new_revision(env->graph, plan->revision, plan->parents)
          : std::vector<std::string>{};
  try {
    if (client.apply_edit && client.document_changes && client.create_files) {
      protocol::WorkspaceEdit edit = create_file_edit(*plan);
      if (env) result.also_changed = add_head_file_edit(session, *env, heads_after, edit);
      apply_through_client(session, *plan, std::move(edit), {});
      result.applied_by = "client";
    } else if (client.apply_edit) {
      // The client can edit but not create: hold the name with an empty file (nobody
      // else can take it now), then let the client fill it; remove it if refused.
      reserve_new_file(plan->path);
      const fs::path reserved = plan->path;
      protocol::WorkspaceEdit edit = fill_file_edit(*plan, client.document_changes);
      if (env) result.also_changed = add_head_file_edit(session, *env, heads_after, edit);
      apply_through_client(session, *plan, std::move(edit), [reserved] {
        std::error_code ec;
        if (fs::file_size(reserved, ec) == 0 && !ec) fs::remove(reserved, ec);
      });
      result.applied_by = "client";
    } else {
      write_new_file(plan->path, plan->content);
      std::vector<Session::DiskChange> written = {{normal_path(plan->path), false}};
      if (env) result.also_changed = write_head_files(session, *env, heads_after);
      for (const std::string& p : result.also_changed) written.push_back({p, false});
      session.files_changed_on_disk(written);
      result.applied_by = "server";
    }
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const RpcError*>(&e)) throw;
    throw RpcError(ErrorCode::RequestFailed, e.what());
  }
  return result;
}

}  // namespace

void register_code_actions(Session& session) {
  on_request<protocol::CodeActionParams>(
      session, "textDocument/codeAction", [](Session& s, const protocol::CodeActionParams& params) {
        return with_history_actions(s, params, code_actions(s, params));
      });
  on_request<protocol::ExecuteCommandParams>(session, "workspace/executeCommand", execute_command);
}

}  // namespace alembic::server
