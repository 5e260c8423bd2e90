// The type hierarchy over the history: textDocument/prepareTypeHierarchy on a revision
// name (or anywhere in a migration: its own revision), typeHierarchy/supertypes = its
// parents (down_revision), typeHierarchy/subtypes = its children. Each item carries
// {path, revision} as data; a duplicated id's copies are told apart by their file.
#include "analysis/references.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

constexpr int kRevisionKind = 5;  // SymbolKind.Class, as in document symbols

json item(Session& session, const EnvironmentState& env, size_t index) {
  const Script& script = script_of_revision(env, index);
  const std::string& id = env.graph.revisions[index].id;
  json out = {{"name", id},
              {"kind", kRevisionKind},
              {"uri", path_to_uri(script.path)},
              {"range", session.range(script.path, revision_statement_range(script))},
              {"selectionRange", session.range(script.path, revision_declaration_range(script))},
              {"data", {{"path", script.path}, {"revision", id}}}};
  const std::string summary = revision_summary(env, index);
  if (!summary.empty()) out["detail"] = summary;
  return out;
}

json prepare(Session& session, const json& params) {
  const Cursor cursor = cursor_at(session, params);
  if (!cursor.env || cursor.script < 0) return nullptr;
  std::vector<size_t> targets;
  if (cursor.reference) {
    targets = resolve_reference(cursor.env->graph, *cursor.reference);
  } else if (auto own = revision_of_script(*cursor.env, static_cast<size_t>(cursor.script))) {
    targets.push_back(*own);
  }
  if (targets.empty()) return nullptr;
  json items = json::array();
  for (size_t index : targets) items.push_back(item(session, *cursor.env, index));
  return items;
}

// The item's revision, found again from its data (the graph may have changed since).
std::pair<const EnvironmentState*, size_t> resolve_item(Session& session, const json& params) {
  const json& data = params.at("item").at("data");
  const std::string path = normal_path(data.at("path").get<std::string>());
  const std::string id = data.at("revision").get<std::string>();
  const EnvironmentState* env = session.environment_of(path);
  if (env) {
    const long script = env->script_index(path);
    for (size_t index : revisions_with_id(*env, id))
      if (static_cast<long>(env->graph.revisions[index].script) == script) return {env, index};
  }
  throw protocol::RpcError(protocol::ErrorCode::ContentModified,
                           "revision '" + id + "' is no longer declared in " + path);
}

json related(Session& session, const json& params, bool parents) {
  const auto [env, index] = resolve_item(session, params);
  const Revision& r = env->graph.revisions[index];
  json items = json::array();
  for (size_t other : revisions_named(*env, parents ? r.down_revisions : r.children))
    items.push_back(item(session, *env, other));
  return items;
}

}  // namespace

void register_type_hierarchy(Session& session) {
  auto& ep = session.endpoint;
  ep.on_request("textDocument/prepareTypeHierarchy",
                [&session](const json& params, const protocol::RequestContext&) {
                  return prepare(session, params);
                });
  ep.on_request("typeHierarchy/supertypes",
                [&session](const json& params, const protocol::RequestContext&) {
                  return related(session, params, true);
                });
  ep.on_request("typeHierarchy/subtypes",
                [&session](const json& params, const protocol::RequestContext&) {
                  return related(session, params, false);
                });
}

}  // namespace alembic::server
