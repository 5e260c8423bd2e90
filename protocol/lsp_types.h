// The basic LSP structures the server reads and writes (LSP 3.17 names, snake_case
// members): documents, locations, text edits, commands, markup. Each has to_json and/or
// from_json (nlohmann ADL); reading fails with a FieldError naming the member
// (protocol/lsp_fields.h). Feature-specific values are in lsp_language.h, lsp_edits.h,
// lsp_diagnostics.h and lsp_lifecycle.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/jsonrpc.h"
#include "protocol/lsp_fields.h"
#include "protocol/position.h"

namespace alembic::protocol {

struct Location {
  std::string uri;
  Range range;
  bool operator==(const Location&) const = default;
};
void to_json(json& out, const Location& value);
void from_json(const json& in, Location& value);

struct TextDocumentIdentifier {
  std::string uri;
};
void from_json(const json& in, TextDocumentIdentifier& value);

/// Also VersionedTextDocumentIdentifier: `version` is read when present, written as null
/// when absent (an OptionalVersionedTextDocumentIdentifier in a TextDocumentEdit).
struct VersionedTextDocumentIdentifier {
  std::string uri;
  std::optional<std::int64_t> version;
};
void to_json(json& out, const VersionedTextDocumentIdentifier& value);
void from_json(const json& in, VersionedTextDocumentIdentifier& value);

/// didOpen's document. languageId and version are not needed and not required.
struct TextDocumentItem {
  std::string uri;
  std::string language_id;
  std::optional<std::int64_t> version;
  std::string text;
};
void from_json(const json& in, TextDocumentItem& value);

/// Params of definition, hover, prepareRename, completion, prepareTypeHierarchy.
struct TextDocumentPositionParams {
  TextDocumentIdentifier text_document;
  Position position;
};
void from_json(const json& in, TextDocumentPositionParams& value);

/// Params of the requests about one whole document (documentSymbol, codeLens, didClose,
/// didSave, textDocument/diagnostic's document).
struct DocumentParams {
  TextDocumentIdentifier text_document;
};
void from_json(const json& in, DocumentParams& value);

/// A TextEdit, or an AnnotatedTextEdit when annotation_id is set.
struct TextEdit {
  Range range;
  std::string new_text;
  std::optional<std::string> annotation_id;
  bool operator==(const TextEdit&) const = default;
};
void to_json(json& out, const TextEdit& value);

/// A command the client runs through workspace/executeCommand. `arguments` are the
/// command's own (LSPAny).
struct Command {
  std::string title;
  std::string command;
  std::vector<json> arguments;
};
void to_json(json& out, const Command& value);

/// workspace/executeCommand. Each command reads its own `arguments` (LSPAny).
struct ExecuteCommandParams {
  std::string command;
  std::vector<json> arguments;
};
void from_json(const json& in, ExecuteCommandParams& value);

struct MarkupContent {
  std::string kind;  ///< "markdown" or "plaintext"
  std::string value;
};
void to_json(json& out, const MarkupContent& value);

struct WorkspaceFolder {
  std::string uri;
  std::string name;
};
void from_json(const json& in, WorkspaceFolder& value);

}  // namespace alembic::protocol
