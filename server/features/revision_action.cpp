#include "server/features/revision_action.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <functional>

#include "analysis/head_file.h"
#include "protocol/log.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/head_file_edit.h"
#include "server/features/merge_action.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::RpcError;

// alembic.newMigration's argument.
struct NewMigrationArgument {
  std::optional<std::string> uri;
  std::optional<std::string> head;
  std::optional<std::string> message;
};

void to_json(json& out, const NewMigrationArgument& value) {
  out = json::object();
  if (value.uri) out["uri"] = *value.uri;
  if (value.head) out["head"] = *value.head;
  if (value.message) out["message"] = *value.message;
}

void from_json(const json& in, NewMigrationArgument& value) {
  protocol::read_optional(in, "uri", value.uri);
  protocol::read_optional(in, "head", value.head);
  protocol::read_optional(in, "message", value.message);
}

struct UriArgument {
  std::string uri;
};

void from_json(const json& in, UriArgument& value) {
  if (in.is_string()) {
    value.uri = in.get<std::string>();
  } else {
    protocol::read_field(in, "uri", value.uri);
  }
}

// CodeActionContext.only is hierarchical: "source" admits "source.alembic.newMigration".
bool kind_allowed(const std::optional<std::vector<std::string>>& only, std::string_view kind) {
  if (!only) return true;
  for (const std::string& prefix : *only)
    if (prefix.empty() || kind == prefix ||
        (kind.starts_with(prefix) && kind.size() > prefix.size() && kind[prefix.size()] == '.'))
      return true;
  return false;
}

// The environment a uri names: one holding the migration, or whose config file or script
// location it is; without a uri, the only environment.
const EnvironmentState* environment_named(Session& session, const std::optional<std::string>& uri) {
  if (!uri) {
    if (session.environments().size() == 1) return session.environments().front().get();
    throw RpcError(ErrorCode::InvalidParams,
                   std::string(kNewMigrationCommand) + " needs {\"uri\"} naming the environment (" +
                       std::to_string(session.environments().size()) + " in the workspace)");
  }
  const std::optional<std::string> raw = uri_to_path(*uri);
  if (!raw) throw RpcError(ErrorCode::InvalidParams, "not a file URI: " + *uri);
  const std::string path = normal_path(*raw);
  if (const EnvironmentState* env = session.environment_of(path)) return env;
  for (const auto& env : session.environments()) {
    const Environment& e = env->environment;
    if ((e.config_path && normal_path(*e.config_path) == path) ||
        (!e.script_location.empty() && normal_path(e.script_location) == path))
      return env.get();
  }
  throw RpcError(ErrorCode::InvalidParams,
                 path +
                     " is not a migration, configuration file or script location of any "
                     "Alembic environment in the workspace");
}

void show_document(Session& session, const std::string& uri) {
  if (!session.client.show_document) return;
  session.endpoint.send_request("window/showDocument", json{{"uri", uri}, {"takeFocus", true}},
                                [uri](const protocol::Reply& reply) {
                                  if (!reply.ok())
                                    spdlog::info("the client did not show {}: {}", uri,
                                                 reply.error->what());
                                });
}

// The new migration's down_revision: its parent, or none for the first of a history.
std::vector<std::string> plan_parents(const RevisionPlan& plan) {
  return plan.parent ? std::vector<std::string>{*plan.parent} : std::vector<std::string>{};
}

// workspace/applyEdit, then window/showDocument once applied; on refusal, `undo` and a
// message saying why.
void apply_then_show(Session& session, const RevisionPlan& plan, protocol::WorkspaceEdit edit,
                     std::function<void()> undo) {
  const std::string file = plan.path.string();
  const std::string uri = path_to_uri(file);
  session.endpoint.send_request(
      "workspace/applyEdit",
      protocol::ApplyWorkspaceEditParams{revision_title(plan), std::move(edit)},
      [&session, file, uri, undo = std::move(undo)](const protocol::Reply& reply) {
        const auto result =
            reply.ok() ? protocol::try_read<protocol::ApplyWorkspaceEditResult>(reply.result)
                       : std::nullopt;
        if (result && result->applied) {
          show_document(session, uri);
          return;
        }
        const std::string reason = !reply.ok() ? reply.error->message()
                                   : result    ? result->failure_reason
                                               : std::string();
        if (undo) undo();
        spdlog::warn("the client did not apply the new migration {}: {}", file, reason);
        protocol::show_message(session.endpoint, protocol::MessageType::Warning,
                               "The new migration " + file + " was not created" +
                                   (reason.empty() ? std::string(".") : ": " + reason));
      });
}

json execute_new_migration(Session& session, const std::vector<json>& arguments) {
  const NewMigrationArgument a =
      arguments.empty() ? NewMigrationArgument{}
                        : protocol::read_as<NewMigrationArgument>(arguments[0], "arguments[0]");
  const EnvironmentState* env = environment_named(session, a.uri);
  std::string why;
  const std::optional<RevisionPlan> plan =
      plan_revision_for(session, *env, a.head, a.message, &why);
  if (!plan) throw RpcError(ErrorCode::RequestFailed, "cannot create a new migration: " + why);
  const std::string uri = path_to_uri(plan->path.string());
  json result = {{"path", plan->path.string()},
                 {"uri", uri},
                 {"revision", plan->revision},
                 {"parent", plan->parent ? json(*plan->parent) : json(nullptr)}};
  // [tool.alembic-lsp] head-file: every way of writing the migration updates it too, and
  // the answer names it (alsoChanged), so a client that leaves edited files unsaved can save it.
  const std::vector<std::string> parents = plan_parents(*plan);
  std::vector<std::string> also_changed;
  const ClientSupport& client = session.client;
  try {
    if (client.apply_edit && client.document_changes && client.create_files) {
      apply_then_show(session, *plan, new_migration_edit(session, *env, *plan, &also_changed), {});
      result["appliedBy"] = "client";
    } else if (client.apply_edit) {
      // The client edits but cannot create: hold the name with an empty file, let the
      // client fill it, and remove it again if the client refuses.
      reserve_new_file(plan->path);
      const fs::path reserved = plan->path;
      MergePlan fill;
      fill.path = plan->path;
      fill.content = plan->content;
      protocol::WorkspaceEdit edit = fill_file_edit(fill, client.document_changes);
      also_changed =
          add_head_file_edit_for_new_revision(session, *env, plan->revision, parents, edit);
      apply_then_show(session, *plan, std::move(edit), [reserved] {
        std::error_code ec;
        if (fs::file_size(reserved, ec) == 0 && !ec) fs::remove(reserved, ec);
      });
      result["appliedBy"] = "client";
    } else {
      write_new_file(plan->path, plan->content);
      std::vector<Session::DiskChange> written = {{normal_path(plan->path), false}};
      also_changed = write_head_files(
          session, *env, heads_after_new_revision(env->graph, plan->revision, parents));
      for (const std::string& p : also_changed) written.push_back({p, false});
      session.files_changed_on_disk(written);
      show_document(session, uri);
      result["appliedBy"] = "server";
    }
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const RpcError*>(&e)) throw;
    throw RpcError(ErrorCode::RequestFailed, e.what());
  }
  result["alsoChanged"] = also_changed;
  return result;
}

json execute_show_migration(Session& session, const std::vector<json>& arguments) {
  if (arguments.empty())
    throw RpcError(ErrorCode::InvalidParams,
                   std::string(kShowMigrationCommand) + " takes one argument: {\"uri\"}");
  const std::string uri = protocol::read_as<UriArgument>(arguments[0], "arguments[0]").uri;
  if (!uri_to_path(uri)) throw RpcError(ErrorCode::InvalidParams, "not a file URI: " + uri);
  show_document(session, uri);
  return json{{"uri", uri}, {"shown", session.client.show_document}};
}

}  // namespace

std::optional<RevisionPlan> plan_revision_for(Session& session, const EnvironmentState& env,
                                              std::optional<std::string> head,
                                              std::optional<std::string> message,
                                              std::string* why) {
  RevisionOptions options;
  options.head = std::move(head);
  options.message = std::move(message);
  // Taken means: on disk, or known to the workspace (an unsaved editor buffer).
  options.place.path_taken = [&session, &env](const fs::path& candidate) {
    std::error_code ec;
    const std::string p = normal_path(candidate);
    return fs::exists(fs::symlink_status(candidate, ec)) || env.script_index(p) >= 0 ||
           session.is_open(p);
  };
  const std::optional<std::string> mako = read_script_template(env.environment);
  std::optional<RevisionPlan> plan =
      plan_revision(env.environment, env.scripts, env.graph,
                    mako ? std::optional<std::string_view>(*mako) : std::nullopt, options, why);
  if (plan && !plan->template_note.empty())
    spdlog::warn("new migration: using Alembic's default template: {}", plan->template_note);
  return plan;
}

std::string revision_title(const RevisionPlan& plan) {
  return plan.parent ? "New migration on head " + *plan.parent
                     : std::string("New migration (the first of the history)");
}

protocol::WorkspaceEdit new_migration_edit(Session& session, const EnvironmentState& env,
                                           const RevisionPlan& plan,
                                           std::vector<std::string>* also_changed) {
  protocol::WorkspaceEdit edit = create_file_edit(plan.path, plan.content);
  // [tool.alembic-lsp] head-file: the same edit makes it name the new head.
  std::vector<std::string> changed =
      add_head_file_edit_for_new_revision(session, env, plan.revision, plan_parents(plan), edit);
  if (also_changed) *also_changed = std::move(changed);
  return edit;
}

std::vector<protocol::CodeActionOrCommand> new_migration_actions(
    Session& session, const protocol::CodeActionParams& params) {
  if (!kind_allowed(params.context.only, kNewMigrationKind)) return {};
  const ClientSupport& client = session.client;
  if (!client.code_action_literals) return {};
  const std::string path = document_path(params.text_document);
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return {};
  const long script = env->script_index(path);
  if (script < 0) return {};

  // This file's revision when it is a head, else every head.
  std::vector<std::string> heads;
  for (size_t k = 0; k < env->graph.heads.size(); ++k) {
    const std::string& id = env->graph.heads[k];
    const long index = env->graph.find(id);
    if (index >= 0 &&
        env->graph.revisions[static_cast<size_t>(index)].script == static_cast<size_t>(script))
      heads = {id};
  }
  if (heads.empty()) heads = merge_parents(env->graph);

  const bool can_create = client.document_changes && client.create_files;
  std::vector<protocol::CodeActionOrCommand> actions;
  for (const std::string& head : heads) {
    protocol::CodeAction action;
    action.kind = std::string(kNewMigrationKind);
    if (can_create) {
      std::string why;
      const std::optional<RevisionPlan> plan = plan_revision_for(session, *env, head, {}, &why);
      if (!plan) {
        spdlog::info("no new-migration action on {}: {}", head, why);
        continue;
      }
      action.title = revision_title(*plan);
      action.edit = new_migration_edit(session, *env, *plan);
      const std::string uri = path_to_uri(plan->path.string());
      action.command = protocol::Command{
          "Open the new migration", std::string(kShowMigrationCommand), {json{{"uri", uri}}}};
    } else {
      // Planned when run: the command creates the file the best way the client allows.
      action.title = "New migration on head " + head;
      json argument;
      to_json(argument, NewMigrationArgument{params.text_document.uri, head, std::nullopt});
      action.command =
          protocol::Command{action.title, std::string(kNewMigrationCommand), {argument}};
    }
    actions.push_back(std::move(action));
  }
  return actions;
}

void register_new_migration(Session& session) {
  auto& ep = session.endpoint;
  protocol::RequestHandler previous = ep.request_handler("workspace/executeCommand");
  ep.on_request(
      "workspace/executeCommand",
      [&session, previous](const json& params, const protocol::RequestContext& context) {
        const auto command = protocol::read_params<protocol::ExecuteCommandParams>(params);
        if (command.command == kNewMigrationCommand)
          return execute_new_migration(session, command.arguments);
        if (command.command == kShowMigrationCommand)
          return execute_show_migration(session, command.arguments);
        if (previous) return previous(params, context);
        throw RpcError(ErrorCode::InvalidParams, "unknown command '" + command.command + "'");
      });
}

}  // namespace alembic::server
