// textDocument/codeLens above `revision = ...`: "head", "base", "N children",
// "merge of N" (and "1 child" on a plain revision, so every file shows where it leads).
//
// Each lens runs the server command `alembic.showRevisions` with
// [{uri, revision, which: "parents" | "children", position}] (position: where the lens
// is); the command answers with the Locations of those revisions. It is a server command
// (announced in executeCommandProvider) rather than VS Code's
// `editor.action.showReferences`, so any client can run it; the editor plugins show the
// returned locations (VS Code: the references peek at `position`; Neovim: quickfix).
// "head" opens the parents (a head has no children), "base" the children.
#include <algorithm>
#include "analysis/references.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

using protocol::ErrorCode;
using protocol::RpcError;

constexpr const char* kShowRevisions = "alembic.showRevisions";

std::string count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// alembic.showRevisions' one argument.
struct ShowRevisionsArgument {
  std::string uri;
  std::string revision;
  std::string which = "children";              ///< or "parents"
  std::optional<protocol::Position> position;  ///< where the lens is
};

void to_json(json& out, const ShowRevisionsArgument& value) {
  out = {{"uri", value.uri}, {"revision", value.revision}, {"which", value.which}};
  protocol::write_optional(out, "position", value.position);
}

void from_json(const json& in, ShowRevisionsArgument& value) {
  protocol::read_field(in, "uri", value.uri);
  protocol::read_field(in, "revision", value.revision);
  protocol::read_optional(in, "which", value.which);
}

protocol::CodeLens lens(const protocol::Range& range, const std::string& title,
                        const std::string& uri, const std::string& revision, const char* which) {
  const ShowRevisionsArgument argument{uri, revision, which, range.start};
  return {range, protocol::Command{title, kShowRevisions, {argument}}};
}

std::vector<protocol::CodeLens> code_lenses(Session& session,
                                            const protocol::DocumentParams& params) {
  const std::string path = document_path(params.text_document);
  const std::string& uri = params.text_document.uri;
  const EnvironmentState* env = session.environment_of(path);
  if (!env) return {};
  const long script = env->script_index(path);
  if (script < 0) return {};
  const std::optional<size_t> revision = revision_of_script(*env, static_cast<size_t>(script));
  if (!revision) return {};

  // The few facts a lens shows, read directly: revision_facts also walks to the nearest
  // base (O(history)), which a lens does not show and an editor asks for after each edit.
  const Revision& rev = env->graph.revisions[*revision];
  struct {
    const std::string& id;
    const std::vector<std::string>& parents;
    const std::vector<std::string>& children;
    bool head, base;
  } f{rev.id, rev.down_revisions, rev.children, rev.children.empty(),
      rev.down_revisions.empty() && std::find(env->graph.bases.begin(), env->graph.bases.end(),
                                              rev.id) != env->graph.bases.end()};
  const protocol::Range range =
      session.range(path, revision_declaration_range(env->scripts[script]));
  std::vector<protocol::CodeLens> lenses;
  if (f.head) lenses.push_back(lens(range, "head", uri, f.id, "parents"));
  if (f.base) lenses.push_back(lens(range, "base", uri, f.id, "children"));
  if (f.parents.size() > 1)
    lenses.push_back(
        lens(range, "merge of " + std::to_string(f.parents.size()), uri, f.id, "parents"));
  if (!f.children.empty())
    lenses.push_back(
        lens(range, count(f.children.size(), "child", "children"), uri, f.id, "children"));
  return lenses;
}

// alembic.showRevisions: the Locations of a revision's parents or children.
std::vector<protocol::Location> show_revisions(Session& session,
                                               const std::vector<json>& arguments) {
  if (arguments.empty() || !arguments[0].is_object())
    throw RpcError(
        ErrorCode::InvalidParams,
        std::string(kShowRevisions) +
            " takes one argument: {\"uri\", \"revision\", \"which\": \"parents\"|\"children\"}");
  const auto a = protocol::read_as<ShowRevisionsArgument>(arguments[0], "arguments[0]");
  const std::string& uri = a.uri;
  const std::string& id = a.revision;
  const std::string& which = a.which;
  if (which != "parents" && which != "children")
    throw RpcError(ErrorCode::InvalidParams,
                   "'which' must be \"parents\" or \"children\", not \"" + which + "\"");
  const std::optional<std::string> raw = uri_to_path(uri);
  if (!raw) throw RpcError(ErrorCode::InvalidParams, "not a file URI: " + uri);
  const std::string path = normal_path(*raw);
  const EnvironmentState* env = session.environment_of(path);
  if (!env)
    throw RpcError(ErrorCode::InvalidParams, path + " is not a migration of any environment");
  const long script = env->script_index(path);
  std::optional<size_t> revision;
  for (size_t index : revisions_with_id(*env, id))
    if (static_cast<long>(env->graph.revisions[index].script) == script) revision = index;
  if (!revision)
    throw RpcError(ErrorCode::InvalidParams, "revision '" + id + "' is not declared in " + path);

  const Revision& r = env->graph.revisions[*revision];
  std::vector<protocol::Location> locations;
  for (size_t index : revisions_named(*env, which == "parents" ? r.down_revisions : r.children))
    locations.push_back(revision_location(session, *env, index));
  return locations;
}

}  // namespace

void register_code_lens(Session& session) {
  auto& ep = session.endpoint;
  on_request<protocol::DocumentParams>(session, "textDocument/codeLens", code_lenses);
  // workspace/executeCommand has one handler: take this command, pass the others on to
  // the one registered before (code actions' alembic.mergeHeads).
  protocol::RequestHandler previous = ep.request_handler("workspace/executeCommand");
  ep.on_request(
      "workspace/executeCommand",
      [&session, previous](const json& params, const protocol::RequestContext& context) {
        const auto command = protocol::read_params<protocol::ExecuteCommandParams>(params);
        if (command.command == kShowRevisions)
          return json(show_revisions(session, command.arguments));
        if (previous) return previous(params, context);
        throw RpcError(ErrorCode::InvalidParams, "unknown command '" + command.command + "'");
      });
}

}  // namespace alembic::server
