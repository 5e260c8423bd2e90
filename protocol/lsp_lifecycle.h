// The lifecycle and the server's conversations with the client about itself: initialize
// (what the client can do, what the server offers), progress, dynamic registration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/lsp_types.h"
#include "protocol/position.h"

namespace alembic::protocol {

/// The client capabilities a server acts on, read leniently: a member of any other type
/// than the specification's counts as absent (false).
struct ClientCapabilities {
  PositionEncoding position_encoding = PositionEncoding::Utf16;  ///< negotiated
  bool work_done_progress = false;
  bool watched_files_dynamic = false;
  bool watched_files_relative_patterns = false;
  bool apply_edit = false;
  bool document_changes = false;
  bool create_files = false;        ///< resourceOperations contains "create"
  bool rename_files = false;        ///< resourceOperations contains "rename"
  bool change_annotations = false;  ///< workspaceEdit.changeAnnotationSupport
  bool related_information = false;
  bool code_action_literals = false;
  bool markdown_hover = false;
  bool workspace_folders = false;
  bool hierarchical_symbols = false;  ///< DocumentSymbol[] rather than SymbolInformation[]
  bool diagnostic_refresh = false;    ///< workspace/diagnostic/refresh is understood
  bool code_lens_refresh = false;     ///< workspace/codeLens/refresh is understood
  bool inlay_hint_refresh = false;    ///< workspace/inlayHint/refresh is understood
  bool show_document = false;         ///< window/showDocument is understood
};
void from_json(const json& in, ClientCapabilities& value);

/// initialize's params. Only an object is required; optional members of the wrong type
/// are ignored (clients differ, and initialize must not fail over a detail).
struct InitializeParams {
  std::optional<std::int64_t> process_id;
  std::optional<std::string> root_uri;
  std::optional<std::string> root_path;
  /// The uri of each workspace folder (folders without a string uri are left out).
  std::vector<std::string> workspace_folders;
  ClientCapabilities capabilities;
  json initialization_options;  ///< the server's own (LSPAny); null when absent
  std::optional<std::string> trace;
};
void from_json(const json& in, InitializeParams& value);

/// What a server announces. Kinds and commands are the server's own names.
struct ServerCapabilities {
  PositionEncoding position_encoding = PositionEncoding::Utf16;
  std::vector<std::string> code_action_kinds;
  std::vector<std::string> commands;
  std::vector<std::string> completion_trigger_characters;
  /// diagnosticProvider's identifier when the client pulls diagnostics; nullopt: pushed.
  std::optional<std::string> pull_diagnostics_identifier;
};
void to_json(json& out, const ServerCapabilities& value);

struct InitializeResult {
  ServerCapabilities capabilities;
  std::string server_name;
  std::string server_version;
};
void to_json(json& out, const InitializeResult& value);

/// $/progress of a work-done token: begin (title), report (message), end.
struct WorkDoneProgress {
  enum class Kind { Begin, Report, End } kind = Kind::Begin;
  std::string title;
  std::string message;
  std::optional<unsigned> percentage;
};
struct ProgressParams {
  std::string token;
  WorkDoneProgress value;
};
void to_json(json& out, const ProgressParams& value);

/// window/workDoneProgress/create.
struct WorkDoneProgressCreateParams {
  std::string token;
};
void to_json(json& out, const WorkDoneProgressCreateParams& value);

/// WatchKind bits.
enum WatchKind : int { kWatchCreate = 1, kWatchChange = 2, kWatchDelete = 4 };

struct FileSystemWatcher {
  std::string glob_pattern;
  int kind = kWatchCreate | kWatchChange | kWatchDelete;
};
void to_json(json& out, const FileSystemWatcher& value);

/// client/registerCapability for workspace/didChangeWatchedFiles, the kind of
/// registration the server makes (one per `id`).
struct WatchedFilesRegistrationParams {
  std::string id;
  std::vector<FileSystemWatcher> watchers;
};
void to_json(json& out, const WatchedFilesRegistrationParams& value);

/// client/unregisterCapability of the workspace/didChangeWatchedFiles registration `id`
/// (the protocol spells the member "unregisterations").
struct WatchedFilesUnregistrationParams {
  std::string id;
};
void to_json(json& out, const WatchedFilesUnregistrationParams& value);

}  // namespace alembic::protocol
