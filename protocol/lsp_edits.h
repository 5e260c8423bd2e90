// Edits and code actions: WorkspaceEdit with its document changes and file operations,
// CodeAction, the codeAction request's context, workspace/applyEdit.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/lsp_types.h"

namespace alembic::protocol {

/// Options of CreateFile and RenameFile.
struct FileOptions {
  bool overwrite = false;
  bool ignore_if_exists = false;
};
void to_json(json& out, const FileOptions& value);

struct CreateFile {
  std::string uri;
  FileOptions options;
  std::optional<std::string> annotation_id;
};
void to_json(json& out, const CreateFile& value);

struct RenameFile {
  std::string old_uri;
  std::string new_uri;
  FileOptions options;
  std::optional<std::string> annotation_id;
};
void to_json(json& out, const RenameFile& value);

struct TextDocumentEdit {
  VersionedTextDocumentIdentifier text_document;  ///< version null: any version
  std::vector<TextEdit> edits;
};
void to_json(json& out, const TextDocumentEdit& value);

using DocumentChange = std::variant<TextDocumentEdit, CreateFile, RenameFile>;

struct ChangeAnnotation {
  std::string label;
  bool needs_confirmation = false;
  std::string description;
};
void to_json(json& out, const ChangeAnnotation& value);

/// Either `changes` (uri -> edits) or `document_changes`, as the client supports.
struct WorkspaceEdit {
  std::optional<std::map<std::string, std::vector<TextEdit>>> changes;
  std::optional<std::vector<DocumentChange>> document_changes;
  std::map<std::string, ChangeAnnotation> change_annotations;  ///< by id; omitted when empty
};
void to_json(json& out, const WorkspaceEdit& value);

/// A diagnostic as a client sends it back in a codeAction context: the members a server
/// matches on, read leniently (it may be another server's, in any shape), and the value
/// exactly as sent, to echo in CodeAction.diagnostics.
struct ClientDiagnostic {
  json value;                         ///< as sent
  std::optional<Range> range;         ///< nullopt when absent or not a Range
  std::optional<std::string> code;    ///< a code that is not a string reads as its JSON text
  std::optional<std::string> source;  ///< likewise
  std::optional<int> severity;        ///< nullopt when absent or not an integer
  bool is_object = false;
};
void from_json(const json& in, ClientDiagnostic& value);

struct CodeActionContext {
  std::vector<ClientDiagnostic> diagnostics;
  std::optional<std::vector<std::string>> only;  ///< nullopt: every kind
};
void from_json(const json& in, CodeActionContext& value);

struct CodeActionParams {
  TextDocumentIdentifier text_document;
  std::optional<Range> range;
  CodeActionContext context;
};
void from_json(const json& in, CodeActionParams& value);

struct CodeAction {
  std::string title;
  std::string kind;
  std::vector<json> diagnostics;  ///< the client's own diagnostics, echoed; omitted when empty
  std::optional<bool> is_preferred;
  std::optional<WorkspaceEdit> edit;
  std::optional<Command> command;
};
void to_json(json& out, const CodeAction& value);

/// textDocument/codeAction answers (CodeAction | Command)[].
using CodeActionOrCommand = std::variant<CodeAction, Command>;

struct ApplyWorkspaceEditParams {
  std::string label;
  WorkspaceEdit edit;
};
void to_json(json& out, const ApplyWorkspaceEditParams& value);

struct ApplyWorkspaceEditResult {
  bool applied = false;
  std::string failure_reason;
};
void from_json(const json& in, ApplyWorkspaceEditResult& value);

}  // namespace alembic::protocol
