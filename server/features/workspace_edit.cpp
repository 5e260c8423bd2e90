#include "server/features/workspace_edit.h"

#include "server/uri.h"

namespace alembic::server {

namespace {

json text_edit(Session& session, const TextEdit& e, const std::optional<EditAnnotation>& note) {
  SourceRange r;
  r.start_byte = e.start;
  r.end_byte = e.end;
  json edit = {{"range", session.range(e.path, r)}, {"newText", e.new_text}};
  if (note) edit["annotationId"] = note->id;
  return edit;
}

}  // namespace

bool drops_renames(const Session& session, const EditPlan& plan) {
  return !plan.renames.empty() && !(session.client.document_changes && session.client.rename_files);
}

json workspace_edit(Session& session, const EditPlan& plan,
                    const std::optional<EditAnnotation>& annotation) {
  const ClientSupport& client = session.client;
  if (!client.document_changes) {
    json changes = json::object();
    for (const TextEdit& e : plan.edits)
      changes[path_to_uri(e.path)].push_back(text_edit(session, e, std::nullopt));
    return {{"changes", changes}};
  }
  const std::optional<EditAnnotation> note = client.change_annotations ? annotation : std::nullopt;
  json document_changes = json::array();
  // One TextDocumentEdit per file, in the plan's order (edits are sorted by path).
  for (size_t k = 0; k < plan.edits.size();) {
    const std::string& path = plan.edits[k].path;
    json edits = json::array();
    for (; k < plan.edits.size() && plan.edits[k].path == path; ++k)
      edits.push_back(text_edit(session, plan.edits[k], note));
    document_changes.push_back(
        {{"textDocument", {{"uri", path_to_uri(path)}, {"version", nullptr}}}, {"edits", edits}});
  }
  if (client.rename_files)
    for (const FileRename& r : plan.renames) {
      json op = {{"kind", "rename"},
                 {"oldUri", path_to_uri(r.from)},
                 {"newUri", path_to_uri(r.to)},
                 {"options", {{"overwrite", false}, {"ignoreIfExists", false}}}};
      if (note) op["annotationId"] = note->id;
      document_changes.push_back(std::move(op));
    }
  json edit = {{"documentChanges", document_changes}};
  if (note)
    edit["changeAnnotations"] = {{note->id,
                                  {{"label", note->label},
                                   {"needsConfirmation", note->needs_confirmation},
                                   {"description", note->description}}}};
  return edit;
}

}  // namespace alembic::server
