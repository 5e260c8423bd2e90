// The type hierarchy over the history: textDocument/prepareTypeHierarchy on a revision
// name (or anywhere in a migration: its own revision), typeHierarchy/supertypes = its
// parents (down_revision), typeHierarchy/subtypes = its children. Each item carries
// {path, revision} as data; a duplicated id's copies are told apart by their file.
#include "analysis/references.h"
#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"
#include "server/features/revision_items.h"
#include "server/uri.h"

namespace alembic::server {

namespace {

// An item's data: the revision and the file declaring it.
struct ItemData {
  std::string path;
  std::string revision;
};

void to_json(json& out, const ItemData& value) {
  out = {{"path", value.path}, {"revision", value.revision}};
}

void from_json(const json& in, ItemData& value) {
  protocol::read_field(in, "path", value.path);
  protocol::read_field(in, "revision", value.revision);
}

protocol::TypeHierarchyItem item(Session& session, const EnvironmentState& env, size_t index) {
  const Script& script = script_of_revision(env, index);
  const std::string& id = env.graph.revisions[index].id;
  protocol::TypeHierarchyItem out;
  out.name = id;
  out.kind = protocol::SymbolKind::Class;  // as in document symbols
  out.uri = path_to_uri(script.path);
  out.range = session.range(script.path, revision_statement_range(script));
  out.selection_range = session.range(script.path, revision_declaration_range(script));
  out.data = ItemData{script.path, id};
  const std::string summary = revision_summary(env, index);
  if (!summary.empty()) out.detail = summary;
  return out;
}

using Items = std::vector<protocol::TypeHierarchyItem>;

std::optional<Items> prepare(Session& session, const protocol::TextDocumentPositionParams& params) {
  const Cursor cursor = cursor_at(session, params);
  if (!cursor.env || cursor.script < 0) return std::nullopt;
  std::vector<size_t> targets;
  if (cursor.reference) {
    targets = resolve_reference(cursor.env->graph, *cursor.reference);
  } else if (auto own = revision_of_script(*cursor.env, static_cast<size_t>(cursor.script))) {
    targets.push_back(*own);
  }
  if (targets.empty()) return std::nullopt;
  Items items;
  for (size_t index : targets) items.push_back(item(session, *cursor.env, index));
  return items;
}

// The item's revision, found again from its data (the graph may have changed since).
std::pair<const EnvironmentState*, size_t> resolve_item(
    Session& session, const protocol::TypeHierarchyParams& params) {
  const ItemData data = protocol::read_as<ItemData>(params.item_data, "item.data");
  const std::string path = normal_path(data.path);
  const std::string& id = data.revision;
  const EnvironmentState* env = session.environment_of(path);
  if (env) {
    const long script = env->script_index(path);
    for (size_t index : revisions_with_id(*env, id))
      if (static_cast<long>(env->graph.revisions[index].script) == script) return {env, index};
  }
  throw protocol::RpcError(protocol::ErrorCode::ContentModified,
                           "revision '" + id + "' is no longer declared in " + path);
}

Items related(Session& session, const protocol::TypeHierarchyParams& params, bool parents) {
  const auto [env, index] = resolve_item(session, params);
  const Revision& r = env->graph.revisions[index];
  Items items;
  for (size_t other : revisions_named(*env, parents ? r.down_revisions : r.children))
    items.push_back(item(session, *env, other));
  return items;
}

}  // namespace

void register_type_hierarchy(Session& session) {
  using protocol::TypeHierarchyParams;
  on_request<protocol::TextDocumentPositionParams>(session, "textDocument/prepareTypeHierarchy",
                                                   prepare);
  on_request<TypeHierarchyParams>(
      session, "typeHierarchy/supertypes",
      [](Session& s, const TypeHierarchyParams& params) { return related(s, params, true); });
  on_request<TypeHierarchyParams>(
      session, "typeHierarchy/subtypes",
      [](Session& s, const TypeHierarchyParams& params) { return related(s, params, false); });
}

}  // namespace alembic::server
