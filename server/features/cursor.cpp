#include "server/features/cursor.h"

#include "server/uri.h"

namespace alembic::server {

std::string document_path(const protocol::TextDocumentIdentifier& document) {
  return document_path(document.uri);
}

std::string document_path(const std::string& uri) {
  std::optional<std::string> path = uri_to_path(uri);
  if (!path)
    throw protocol::RpcError(protocol::ErrorCode::InvalidParams,
                             "not a file URI: " + uri + " (only file:// documents are analysed)");
  return normal_path(*path);
}

Cursor cursor_at(Session& session, const protocol::TextDocumentPositionParams& params) {
  Cursor cursor;
  cursor.path = document_path(params.text_document);
  const protocol::Position& position = params.position;
  cursor.env = session.environment_of(cursor.path);
  if (!cursor.env) return cursor;
  cursor.script = cursor.env->script_index(cursor.path);
  if (cursor.script < 0) return cursor;
  // The parsed script and the line index both follow the open document when there is
  // one, so the offset and the ranges describe the same text.
  const uint32_t offset = session.offset(cursor.path, position);
  const Script& script = cursor.env->scripts[static_cast<size_t>(cursor.script)];
  const std::vector<RevisionReference> refs = collect_references(script.parsed);
  if (const RevisionReference* ref = reference_at(refs, offset)) cursor.reference = *ref;
  return cursor;
}

}  // namespace alembic::server
