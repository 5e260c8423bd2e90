#include "protocol/lsp_diagnostics.h"

namespace alembic::protocol {

void to_json(json& out, const DiagnosticRelatedInformation& value) {
  out = {{"location", value.location}, {"message", value.message}};
}

void to_json(json& out, const Diagnostic& value) {
  out = {{"range", value.range},
         {"severity", value.severity},
         {"code", value.code},
         {"source", value.source},
         {"message", value.message}};
  if (value.code_description_href)
    out["codeDescription"] = {{"href", *value.code_description_href}};
  if (!value.related_information.empty()) out["relatedInformation"] = value.related_information;
  if (!value.data.is_null()) out["data"] = value.data;
}

void to_json(json& out, const PublishDiagnosticsParams& value) {
  out = {{"uri", value.uri}, {"diagnostics", value.diagnostics}};
}

void from_json(const json& in, DocumentDiagnosticParams& value) {
  read_field(in, "textDocument", value.text_document);
  read_lenient(in, "previousResultId", value.previous_result_id);
}

void from_json(const json& in, PreviousResultId& value) {
  read_field(in, "uri", value.uri);
  read_optional(in, "value", value.value);
}

void from_json(const json& in, WorkspaceDiagnosticParams& value) {
  read_optional(in, "previousResultIds", value.previous_result_ids);
}

void to_json(json& out, const DocumentDiagnosticReport& value) {
  out = {{"kind", value.unchanged ? "unchanged" : "full"}, {"resultId", value.result_id}};
  if (!value.unchanged) out["items"] = value.items;
  if (value.uri) {
    out["uri"] = *value.uri;
    out["version"] = nullptr;
  }
}

void to_json(json& out, const WorkspaceDiagnosticReport& value) {
  out = {{"items", value.items}};
}

}  // namespace alembic::protocol
