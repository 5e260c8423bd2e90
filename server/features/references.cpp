// textDocument/references: every place naming the revision under the cursor, across
// the scripts of its environment; context.includeDeclaration adds the `revision`
// strings (and branch label declarations) that declare it.
#include <set>
#include <utility>

#include "protocol/lsp_language.h"
#include "server/features/cursor.h"
#include "server/features/features.h"

namespace alembic::server {

namespace {

std::optional<std::vector<protocol::Location>> references(Session& session,
                                                          const protocol::ReferenceParams& params) {
  const Cursor cursor = cursor_at(session, params);
  if (!cursor.reference) return std::nullopt;
  const bool include_declaration = params.include_declaration;
  const GraphAnalysis& graph = cursor.env->graph;

  // The ids the name resolves to; a missing id is still searched by its text, so the
  // user sees every place that names the same absent revision.
  std::set<std::string> ids;
  for (size_t index : resolve_reference(graph, *cursor.reference))
    ids.insert(graph.revisions[index].id);
  if (ids.empty() && cursor.reference->kind != ReferenceKind::BranchLabel)
    ids.insert(cursor.reference->text);

  std::vector<protocol::Location> locations;
  std::set<std::pair<size_t, uint32_t>> seen;  // (script, start byte): one location each
  for (const std::string& id : ids) {
    for (const ScriptReference& found :
         find_references(graph, cursor.env->scripts, id, include_declaration)) {
      if (!seen.insert({found.script, found.reference.range.start_byte}).second) continue;
      locations.push_back(
          session.location(cursor.env->scripts[found.script].path, found.reference.range));
    }
  }
  return locations;
}

}  // namespace

void register_references(Session& session) {
  on_request<protocol::ReferenceParams>(session, "textDocument/references", references);
}

}  // namespace alembic::server
