#include "protocol/lsp_language.h"

namespace alembic::protocol {

void from_json(const json& in, ReferenceParams& value) {
  from_json(in, static_cast<TextDocumentPositionParams&>(value));
  json context = json::object();
  read_optional(in, "context", context);
  try {
    read_optional(context, "includeDeclaration", value.include_declaration);
  } catch (const FieldError& e) {
    throw e.under("context");
  }
}

void from_json(const json& in, RenameParams& value) {
  from_json(in, static_cast<TextDocumentPositionParams&>(value));
  read_field(in, "newName", value.new_name);
}

void to_json(json& out, const PrepareRenameResult& value) {
  out = {{"range", value.range}, {"placeholder", value.placeholder}};
}

void to_json(json& out, const Hover& value) {
  out = {{"contents", value.contents}};
  write_optional(out, "range", value.range);
}

void to_json(json& out, const CompletionItem& value) {
  out = {{"label", value.label},        {"kind", static_cast<int>(value.kind)},
         {"detail", value.detail},      {"documentation", value.documentation},
         {"sortText", value.sort_text}, {"textEdit", value.text_edit}};
  write_optional(out, "filterText", value.filter_text);
  write_optional(out, "preselect", value.preselect);
}

void to_json(json& out, const CompletionList& value) {
  out = {{"isIncomplete", value.is_incomplete}, {"items", value.items}};
}

void to_json(json& out, const DocumentSymbol& value) {
  out = {{"name", value.name},
         {"kind", static_cast<int>(value.kind)},
         {"range", value.range},
         {"selectionRange", value.selection_range}};
  write_optional(out, "detail", value.detail);
  write_optional(out, "children", value.children);
}

void to_json(json& out, const SymbolInformation& value) {
  out = {
      {"name", value.name}, {"kind", static_cast<int>(value.kind)}, {"location", value.location}};
  write_optional(out, "containerName", value.container_name);
}

void from_json(const json& in, WorkspaceSymbolParams& value) {
  read_optional(in, "query", value.query);
}

void to_json(json& out, const CodeLens& value) {
  out = {{"range", value.range}};
  write_optional(out, "command", value.command);
}

void from_json(const json& in, InlayHintParams& value) {
  read_field(in, "textDocument", value.text_document);
  read_optional(in, "range", value.range);
}

void to_json(json& out, const InlayHint& value) {
  out = {{"position", value.position},
         {"label", value.label},
         {"paddingLeft", value.padding_left},
         {"tooltip", value.tooltip}};
}

void to_json(json& out, const TypeHierarchyItem& value) {
  out = {{"name", value.name},   {"kind", static_cast<int>(value.kind)},    {"uri", value.uri},
         {"range", value.range}, {"selectionRange", value.selection_range}, {"data", value.data}};
  write_optional(out, "detail", value.detail);
}

void from_json(const json& in, TypeHierarchyParams& value) {
  json item;
  read_field(in, "item", item);
  try {
    read_field(item, "data", value.item_data);
  } catch (const FieldError& e) {
    throw e.under("item");
  }
}

}  // namespace alembic::protocol
