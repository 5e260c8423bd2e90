#include "server/features/workspace_edit.h"

#include "server/uri.h"

namespace alembic::server {

namespace {

protocol::TextEdit text_edit(Session& session, const TextEdit& e,
                             const std::optional<EditAnnotation>& note) {
  SourceRange r;
  r.start_byte = e.start;
  r.end_byte = e.end;
  protocol::TextEdit edit{session.range(e.path, r), e.new_text, std::nullopt};
  if (note) edit.annotation_id = note->id;
  return edit;
}

}  // namespace

bool drops_renames(const Session& session, const EditPlan& plan) {
  return !plan.renames.empty() && !(session.client.document_changes && session.client.rename_files);
}

protocol::WorkspaceEdit workspace_edit(Session& session, const EditPlan& plan,
                                       const std::optional<EditAnnotation>& annotation) {
  const ClientSupport& client = session.client;
  protocol::WorkspaceEdit edit;
  if (!client.document_changes) {
    auto& changes = edit.changes.emplace();
    for (const TextEdit& e : plan.edits)
      changes[path_to_uri(e.path)].push_back(text_edit(session, e, std::nullopt));
    return edit;
  }
  const std::optional<EditAnnotation> note = client.change_annotations ? annotation : std::nullopt;
  auto& document_changes = edit.document_changes.emplace();
  // One TextDocumentEdit per file, in the plan's order (edits are sorted by path).
  for (size_t k = 0; k < plan.edits.size();) {
    const std::string& path = plan.edits[k].path;
    protocol::TextDocumentEdit file{{path_to_uri(path), std::nullopt}, {}};
    for (; k < plan.edits.size() && plan.edits[k].path == path; ++k)
      file.edits.push_back(text_edit(session, plan.edits[k], note));
    document_changes.push_back(std::move(file));
  }
  if (client.rename_files)
    for (const FileRename& r : plan.renames) {
      protocol::RenameFile op{path_to_uri(r.from), path_to_uri(r.to), {}, std::nullopt};
      if (note) op.annotation_id = note->id;
      document_changes.push_back(std::move(op));
    }
  if (note)
    edit.change_annotations[note->id] = {note->label, note->needs_confirmation, note->description};
  return edit;
}

}  // namespace alembic::server
