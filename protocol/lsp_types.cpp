#include "protocol/lsp_types.h"

namespace alembic::protocol {

void to_json(json& out, const Location& value) {
  out = {{"uri", value.uri}, {"range", value.range}};
}

void from_json(const json& in, Location& value) {
  read_field(in, "uri", value.uri);
  read_field(in, "range", value.range);
}

void from_json(const json& in, TextDocumentIdentifier& value) {
  read_field(in, "uri", value.uri);
}

void to_json(json& out, const VersionedTextDocumentIdentifier& value) {
  out = {{"uri", value.uri}, {"version", nullptr}};
  if (value.version) out["version"] = *value.version;
}

void from_json(const json& in, VersionedTextDocumentIdentifier& value) {
  read_field(in, "uri", value.uri);
  read_optional(in, "version", value.version);
}

void from_json(const json& in, TextDocumentItem& value) {
  read_field(in, "uri", value.uri);
  read_optional(in, "languageId", value.language_id);
  read_optional(in, "version", value.version);
  read_field(in, "text", value.text);
}

void from_json(const json& in, TextDocumentPositionParams& value) {
  read_field(in, "textDocument", value.text_document);
  read_field(in, "position", value.position);
}

void from_json(const json& in, DocumentParams& value) {
  read_field(in, "textDocument", value.text_document);
}

void to_json(json& out, const TextEdit& value) {
  out = {{"range", value.range}, {"newText", value.new_text}};
  write_optional(out, "annotationId", value.annotation_id);
}

void to_json(json& out, const Command& value) {
  out = {{"title", value.title}, {"command", value.command}};
  if (!value.arguments.empty()) out["arguments"] = value.arguments;
}

void from_json(const json& in, ExecuteCommandParams& value) {
  read_field(in, "command", value.command);
  read_optional(in, "arguments", value.arguments);
}

void to_json(json& out, const MarkupContent& value) {
  out = {{"kind", value.kind}, {"value", value.value}};
}

void from_json(const json& in, WorkspaceFolder& value) {
  read_field(in, "uri", value.uri);
  read_optional(in, "name", value.name);
}

}  // namespace alembic::protocol
