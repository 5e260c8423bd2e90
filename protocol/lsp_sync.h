// What keeps the server's picture in step with the client: document synchronisation
// (didOpen / didChange) and the workspace notifications (folders, watched files,
// configuration).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "protocol/lsp_types.h"

namespace alembic::protocol {

struct DidOpenTextDocumentParams {
  TextDocumentItem text_document;
};
void from_json(const json& in, DidOpenTextDocumentParams& value);

/// One change: the range replaced, or (no range) the whole text.
struct TextDocumentContentChangeEvent {
  std::optional<Range> range;
  std::string text;
};
void from_json(const json& in, TextDocumentContentChangeEvent& value);

struct DidChangeTextDocumentParams {
  VersionedTextDocumentIdentifier text_document;
  std::vector<TextDocumentContentChangeEvent> content_changes;
};
void from_json(const json& in, DidChangeTextDocumentParams& value);

/// FileChangeType.
enum class FileChangeType { Created = 1, Changed = 2, Deleted = 3 };

struct FileEvent {
  std::string uri;
  FileChangeType type = FileChangeType::Changed;
};
void from_json(const json& in, FileEvent& value);

struct DidChangeWatchedFilesParams {
  std::vector<FileEvent> changes;
};
void from_json(const json& in, DidChangeWatchedFilesParams& value);

struct DidChangeWorkspaceFoldersParams {
  std::vector<WorkspaceFolder> added;    ///< event.added
  std::vector<WorkspaceFolder> removed;  ///< event.removed
};
void from_json(const json& in, DidChangeWorkspaceFoldersParams& value);

/// workspace/didChangeConfiguration. `section` is the member of `settings` named after
/// the server (nullopt when the client sent none, or settings is not an object): its
/// shape is the server's own.
struct DidChangeConfigurationParams {
  std::optional<json> section;
};
/// Reads the section `name` of the settings ("alembic-lsp").
DidChangeConfigurationParams read_configuration(const json& params, std::string_view name);

}  // namespace alembic::protocol
