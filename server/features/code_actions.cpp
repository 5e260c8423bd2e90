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
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/history_actions.h"
#include "server/features/merge_action.h"
#include "server/features/quick_fixes.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::RpcError;

constexpr std::string_view kMergeCommand = "alembic.mergeHeads";
constexpr std::string_view kMergeKind = "source.alembic.mergeHeads";
constexpr std::string_view kQuickFix = "quickfix";

// CodeActionContext.only is hierarchical: "source" admits "source.alembic.mergeHeads".
bool kind_allowed(const json& only, std::string_view kind) {
  if (!only.is_array()) return true;
  for (const json& o : only) {
    if (!o.is_string()) continue;
    const std::string prefix = o.get<std::string>();
    if (prefix.empty() || kind == prefix ||
        (kind.starts_with(prefix) && kind.size() > prefix.size() && kind[prefix.size()] == '.'))
      return true;
  }
  return false;
}

bool is_merge_diagnostic(const json& d) {
  if (!d.is_object() || !d.contains("code") || d["code"] != std::string(codes::kMultipleHeads))
    return false;
  if (d.contains("source") && d["source"] != "alembic") return false;  // another server's
  return !d.contains("severity") || !d["severity"].is_number_integer() ||
         d["severity"].get<int>() <= static_cast<int>(Severity::Warning);
}

json merge_command(const MergePlan& plan, const std::string& uri) {
  return {{"title", merge_title(plan)},
          {"command", kMergeCommand},
          {"arguments", json::array({{{"uri", uri}}})}};
}

// The merge actions: a quickfix on each multiple-heads diagnostic and the source action.
json merge_actions(Session& session, const std::string& path, const std::string& uri,
                   const json& merge_diagnostics, bool quickfix, bool source) {
  if (!quickfix && !source) return json::array();
  const EnvironmentState* env = session.environment_of(path);
  if (!env || merge_parents(env->graph).size() < 2) return json::array();

  std::string why;
  const std::optional<MergePlan> plan = plan_merge_for(session, path, &why);
  if (!plan) {
    spdlog::info("no merge action for {}: {}", path, why);
    return json::array();
  }
  // A client without CodeAction literals takes Command[]; one command does it all.
  if (!session.client.code_action_literals) return json::array({merge_command(*plan, uri)});

  const bool can_create = session.client.document_changes && session.client.create_files;
  auto action = [&](std::string_view kind) {
    json a = {{"title", merge_title(*plan)}, {"kind", kind}};
    if (can_create) {
      a["edit"] = create_file_edit(*plan);
    } else {
      a["command"] = merge_command(*plan, uri);
    }
    return a;
  };
  json actions = json::array();
  if (quickfix) {
    json fix = action(kQuickFix);
    fix["diagnostics"] = merge_diagnostics;
    fix["isPreferred"] = true;
    actions.push_back(std::move(fix));
  }
  if (source) actions.push_back(action(kMergeKind));
  return actions;
}

json code_actions(Session& session, const json& params) {
  const std::string path = document_path(params);
  const std::string uri = params["textDocument"]["uri"].get<std::string>();
  const json context = params.value("context", json::object());
  const json only = context.value("only", json());
  const json diagnostics = context.value("diagnostics", json::array());
  json merge_diagnostics = json::array();
  if (diagnostics.is_array())
    for (const json& d : diagnostics)
      if (is_merge_diagnostic(d)) merge_diagnostics.push_back(d);

  const bool quickfix = kind_allowed(only, kQuickFix);
  json actions = merge_actions(session, path, uri, merge_diagnostics,
                               quickfix && !merge_diagnostics.empty(), kind_allowed(only, kMergeKind));
  // The other fixes are edits, which only CodeAction literals can carry; they follow
  // the merge, so a multiple-heads diagnostic lists the merge first, then the rebases.
  if (quickfix && session.client.code_action_literals) {
    json fixes = quick_fixes(session, path, diagnostics);
    // Quick fixes before the source action, so the rebase sits right beside the merge.
    auto at = actions.begin();
    while (at != actions.end() && at->is_object() && at->value("kind", "") == kQuickFix) ++at;
    for (json& fix : fixes) at = std::next(actions.insert(at, std::move(fix)));
  }
  return actions;
}

void tell_user(Session& session, int type, const std::string& message) {
  session.endpoint.send_notification("window/showMessage", {{"type", type}, {"message", message}});
}

// Sends workspace/applyEdit; on refusal, runs `undo` and tells the user why.
void apply_through_client(Session& session, const MergePlan& plan, json edit,
                          std::function<void()> undo) {
  const std::string file = plan.path.string();
  session.endpoint.send_request(
      "workspace/applyEdit", {{"label", merge_title(plan)}, {"edit", std::move(edit)}},
      [&session, file, undo = std::move(undo)](const protocol::Reply& reply) {
        const bool applied = reply.ok() && reply.result.is_object() &&
                             reply.result.value("applied", false);
        if (applied) return;
        std::string reason = !reply.ok() ? reply.error->message()
                                         : reply.result.is_object()
                                               ? reply.result.value("failureReason", std::string())
                                               : std::string();
        if (undo) undo();
        spdlog::warn("the client did not apply the merge edit for {}: {}", file, reason);
        tell_user(session, 2,
                  "The merge migration " + file + " was not created" +
                      (reason.empty() ? std::string(".") : ": " + reason));
      });
}

json execute_command(Session& session, const json& params) {
  const std::string command = params.at("command").get<std::string>();
  if (command != kMergeCommand)
    throw RpcError(ErrorCode::InvalidParams, "unknown command '" + command + "'");
  const json arguments = params.value("arguments", json::array());
  if (!arguments.is_array() || arguments.empty())
    throw RpcError(ErrorCode::InvalidParams,
                   "alembic.mergeHeads takes one argument: {\"uri\": <a migration file>}");
  const json& argument = arguments[0];
  const std::string uri =
      argument.is_string() ? argument.get<std::string>() : argument.at("uri").get<std::string>();
  const std::optional<std::string> raw_path = uri_to_path(uri);
  if (!raw_path) throw RpcError(ErrorCode::InvalidParams, "not a file URI: " + uri);

  std::string why;
  const std::optional<MergePlan> plan = plan_merge_for(session, normal_path(*raw_path), &why);
  if (!plan) throw RpcError(ErrorCode::RequestFailed, "cannot merge heads: " + why);
  json result = {{"path", plan->path.string()},
                 {"revision", plan->revision},
                 {"parents", plan->parents}};
  const ClientSupport& client = session.client;
  try {
    if (client.apply_edit && client.document_changes && client.create_files) {
      apply_through_client(session, *plan, create_file_edit(*plan), {});
      result["appliedBy"] = "client";
    } else if (client.apply_edit) {
      // The client can edit but not create: hold the name with an empty file (nobody
      // else can take it now), then let the client fill it; remove it if refused.
      reserve_new_file(plan->path);
      const fs::path reserved = plan->path;
      apply_through_client(session, *plan, fill_file_edit(*plan, client.document_changes),
                           [reserved] {
                             std::error_code ec;
                             if (fs::file_size(reserved, ec) == 0 && !ec) fs::remove(reserved, ec);
                           });
      result["appliedBy"] = "client";
    } else {
      write_new_file(plan->path, plan->content);
      const std::string written = normal_path(plan->path);
      session.invalidate(written);
      session.core.workspace().file_changed_on_disk(written);
      session.changed();
      result["appliedBy"] = "server";
    }
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const RpcError*>(&e)) throw;
    throw RpcError(ErrorCode::RequestFailed, e.what());
  }
  return result;
}

}  // namespace

void register_code_actions(Session& session) {
  session.endpoint.on_request("textDocument/codeAction",
                              [&session](const json& params, const protocol::RequestContext&) {
                                return with_history_actions(session, params,
                                                            code_actions(session, params));
                              });
  session.endpoint.on_request("workspace/executeCommand",
                              [&session](const json& params, const protocol::RequestContext&) {
                                return execute_command(session, params);
                              });
}

}  // namespace alembic::server
