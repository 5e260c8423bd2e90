#include "protocol/lsp_edits.h"

namespace alembic::protocol {

void to_json(json& out, const FileOptions& value) {
  out = {{"overwrite", value.overwrite}, {"ignoreIfExists", value.ignore_if_exists}};
}

void to_json(json& out, const CreateFile& value) {
  out = {{"kind", "create"}, {"uri", value.uri}, {"options", value.options}};
  write_optional(out, "annotationId", value.annotation_id);
}

void to_json(json& out, const RenameFile& value) {
  out = {{"kind", "rename"},
         {"oldUri", value.old_uri},
         {"newUri", value.new_uri},
         {"options", value.options}};
  write_optional(out, "annotationId", value.annotation_id);
}

void to_json(json& out, const TextDocumentEdit& value) {
  out = {{"textDocument", value.text_document}, {"edits", value.edits}};
}

void to_json(json& out, const ChangeAnnotation& value) {
  out = {{"label", value.label},
         {"needsConfirmation", value.needs_confirmation},
         {"description", value.description}};
}

void to_json(json& out, const WorkspaceEdit& value) {
  out = json::object();
  write_optional(out, "changes", value.changes);
  write_optional(out, "documentChanges", value.document_changes);
  if (!value.change_annotations.empty()) out["changeAnnotations"] = value.change_annotations;
}

void from_json(const json& in, ClientDiagnostic& value) {
  value = ClientDiagnostic();
  value.value = in;
  value.is_object = in.is_object();
  if (!value.is_object) return;
  auto text = [&in](const char* key) -> std::optional<std::string> {
    auto it = in.find(key);
    if (it == in.end()) return std::nullopt;
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  value.code = text("code");
  value.source = text("source");
  read_lenient(in, "range", value.range);
  if (auto it = in.find("severity"); it != in.end() && it->is_number_integer())
    value.severity = it->get<int>();
}

void from_json(const json& in, CodeActionContext& value) {
  // Diagnostics that are not an array, and `only` entries that are not strings, are
  // ignored: they constrain nothing this server offers.
  if (auto it = in.find("diagnostics"); it != in.end() && it->is_array())
    read_value(*it, value.diagnostics);
  if (auto it = in.find("only"); it != in.end() && it->is_array()) {
    value.only.emplace();
    for (const json& kind : *it)
      if (kind.is_string()) value.only->push_back(kind.get<std::string>());
  }
}

void from_json(const json& in, CodeActionParams& value) {
  read_field(in, "textDocument", value.text_document);
  read_lenient(in, "range", value.range);
  json context;
  read_optional(in, "context", context);
  if (context.is_object()) from_json(context, value.context);
}

void to_json(json& out, const CodeAction& value) {
  out = {{"title", value.title}, {"kind", value.kind}};
  if (!value.diagnostics.empty()) out["diagnostics"] = value.diagnostics;
  write_optional(out, "isPreferred", value.is_preferred);
  write_optional(out, "edit", value.edit);
  write_optional(out, "command", value.command);
}

void to_json(json& out, const ApplyWorkspaceEditParams& value) {
  out = {{"label", value.label}, {"edit", value.edit}};
}

void from_json(const json& in, ApplyWorkspaceEditResult& value) {
  read_optional(in, "applied", value.applied);
  read_optional(in, "failureReason", value.failure_reason);
}

}  // namespace alembic::protocol
