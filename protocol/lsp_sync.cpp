#include "protocol/lsp_sync.h"

namespace alembic::protocol {

void from_json(const json& in, DidOpenTextDocumentParams& value) {
  read_field(in, "textDocument", value.text_document);
}

void from_json(const json& in, TextDocumentContentChangeEvent& value) {
  read_optional(in, "range", value.range);
  read_field(in, "text", value.text);
}

void from_json(const json& in, DidChangeTextDocumentParams& value) {
  read_field(in, "textDocument", value.text_document);
  read_field(in, "contentChanges", value.content_changes);
}

void from_json(const json& in, FileEvent& value) {
  read_field(in, "uri", value.uri);
  int type = 0;
  read_field(in, "type", type);
  value.type = static_cast<FileChangeType>(type);
}

void from_json(const json& in, DidChangeWatchedFilesParams& value) {
  read_field(in, "changes", value.changes);
}

void from_json(const json& in, DidChangeWorkspaceFoldersParams& value) {
  json event;
  read_field(in, "event", event);
  try {
    read_optional(event, "added", value.added);
    read_optional(event, "removed", value.removed);
  } catch (const FieldError& e) {
    throw e.under("event");
  }
}

DidChangeConfigurationParams read_configuration(const json& params, std::string_view name) {
  DidChangeConfigurationParams out;
  if (!params.is_object()) return out;
  auto settings = params.find("settings");
  if (settings == params.end() || !settings->is_object()) return out;
  auto section = settings->find(name);
  if (section != settings->end()) out.section = *section;
  return out;
}

}  // namespace alembic::protocol
