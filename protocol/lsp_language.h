// The language features' params and results: references, rename, hover, completion,
// symbols, code lens, inlay hints, type hierarchy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/lsp_types.h"

namespace alembic::protocol {

struct ReferenceParams : TextDocumentPositionParams {
  bool include_declaration = false;  ///< context.includeDeclaration
};
void from_json(const json& in, ReferenceParams& value);

struct RenameParams : TextDocumentPositionParams {
  std::string new_name;
};
void from_json(const json& in, RenameParams& value);

struct PrepareRenameResult {
  Range range;
  std::string placeholder;
};
void to_json(json& out, const PrepareRenameResult& value);

struct Hover {
  MarkupContent contents;
  std::optional<Range> range;
};
void to_json(json& out, const Hover& value);

/// CompletionItemKind values the server uses.
enum class CompletionItemKind { Value = 12, Reference = 18 };

struct CompletionItem {
  std::string label;
  CompletionItemKind kind = CompletionItemKind::Value;
  std::string detail;
  std::string documentation;  ///< plain text
  std::string sort_text;
  std::optional<std::string> filter_text;
  std::optional<bool> preselect;
  TextEdit text_edit;
};
void to_json(json& out, const CompletionItem& value);

struct CompletionList {
  bool is_incomplete = false;
  std::vector<CompletionItem> items;
};
void to_json(json& out, const CompletionList& value);

/// SymbolKind values the server uses.
enum class SymbolKind { Class = 5, Property = 7, Field = 8, Key = 20 };

struct DocumentSymbol {
  std::string name;
  std::optional<std::string> detail;
  SymbolKind kind = SymbolKind::Class;
  Range range;
  Range selection_range;
  std::optional<std::vector<DocumentSymbol>> children;
};
void to_json(json& out, const DocumentSymbol& value);

/// SymbolInformation, also the answer to workspace/symbol.
struct SymbolInformation {
  std::string name;
  SymbolKind kind = SymbolKind::Class;
  Location location;
  std::optional<std::string> container_name;
};
void to_json(json& out, const SymbolInformation& value);

struct WorkspaceSymbolParams {
  std::string query;
};
void from_json(const json& in, WorkspaceSymbolParams& value);

struct CodeLens {
  Range range;
  std::optional<Command> command;
};
void to_json(json& out, const CodeLens& value);

struct InlayHintParams {
  TextDocumentIdentifier text_document;
  std::optional<Range> range;  ///< required by LSP; the whole document when absent
};
void from_json(const json& in, InlayHintParams& value);

struct InlayHint {
  Position position;
  std::string label;
  bool padding_left = false;
  std::string tooltip;
};
void to_json(json& out, const InlayHint& value);

struct TypeHierarchyItem {
  std::string name;
  SymbolKind kind = SymbolKind::Class;
  std::optional<std::string> detail;
  std::string uri;
  Range range;
  Range selection_range;
  json data;  ///< the server's own, sent back in supertypes / subtypes
};
void to_json(json& out, const TypeHierarchyItem& value);

/// typeHierarchy/supertypes and subtypes: the item sent back. Only its `data` is read
/// (the server finds the revision again from it).
struct TypeHierarchyParams {
  json item_data;  ///< item.data
};
void from_json(const json& in, TypeHierarchyParams& value);

}  // namespace alembic::protocol
