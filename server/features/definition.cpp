// textDocument/definition: from any name of a revision (down_revision, depends_on, a
// branch label, the docstring's Revises: / Revision ID:, the revision itself) to every
// `revision` string defining it. A duplicated id has several definitions: all are given.
#include "server/features/cursor.h"
#include "server/features/features.h"

namespace alembic::server {

namespace {

using protocol::Location;

std::optional<std::vector<Location>> definition(
    Session& session, const protocol::TextDocumentPositionParams& params) {
  const Cursor cursor = cursor_at(session, params);
  if (!cursor.reference) return std::nullopt;
  const GraphAnalysis& graph = cursor.env->graph;
  std::vector<Location> locations;
  for (size_t index : resolve_reference(graph, *cursor.reference)) {
    const Script& script = cursor.env->scripts[graph.revisions[index].script];
    locations.push_back(session.location(script.path, revision_declaration_range(script)));
  }
  if (locations.empty()) return std::nullopt;  // a missing revision: nothing to go to
  return locations;
}

}  // namespace

void register_definition(Session& session) {
  on_request<protocol::TextDocumentPositionParams>(session, "textDocument/definition", definition);
}

}  // namespace alembic::server
