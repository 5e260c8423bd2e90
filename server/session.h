// The LSP binding of the core (server/core.h), the way clangd's ClangdLSPServer binds
// ClangdServer: the connection, what the client can do, the lifecycle, the negotiated
// position encoding, conversions from analysis values (byte ranges, findings) to LSP JSON,
// and diagnostics publishing. Features read the workspace through the few queries below
// (environment_of, text_of, is_open, environments) and change its documents and files
// through the calls below (open_document ... files_changed_on_disk), which keep the
// binding's caches in step and publish.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/watcher.h"
#include "protocol/endpoint.h"
#include "protocol/lsp_diagnostics.h"
#include "protocol/lsp_lifecycle.h"
#include "protocol/lsp_sync.h"
#include "protocol/position.h"
#include "server/core.h"
#include "server/workspace.h"

namespace alembic::server {

using platform::FileWatcher;

using json = nlohmann::json;

/// The parts of the client's capabilities the server acts on.
using ClientSupport = protocol::ClientCapabilities;

/// Diagnostic.data of a finding: the revisions it names and the id it suggests (read by
/// the editor plugins).
struct FindingData {
  std::vector<std::string> revisions;
  std::optional<std::string> suggestion;
};
void to_json(json& out, const FindingData& value);

enum class Lifecycle { Uninitialized, Running, ShutDown };

class ParentWatch;

/// Settings from initializationOptions / workspace/didChangeConfiguration.
struct ServerSettings {
  bool watch_files = true;        ///< watch files ourselves when the client cannot
  bool pull_diagnostics = false;  ///< the client pulls diagnostics: announce it, never push
};

/// One connected client.
class Session {
 public:
  explicit Session(protocol::Endpoint& endpoint);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  protocol::Endpoint& endpoint;
  /// The workspace, indexing, analyses and git history, without LSP.
  Core core;
  protocol::PositionEncoding encoding = protocol::PositionEncoding::Utf16;
  ClientSupport client;
  Lifecycle lifecycle = Lifecycle::Uninitialized;
  int exit_code = 1;  ///< 0 once `exit` follows `shutdown`
  ServerSettings settings;

  // Background helpers, stopped when the session ends.
  std::unique_ptr<FileWatcher> file_watcher;
  std::unique_ptr<ParentWatch> parent_watch;
  /// The client was asked to watch the workspace's files for us (initialized).
  bool watch_registration_sent = false;

  // -- the workspace, as features see it ---------------------------------------
  /// The environment whose version locations hold `path`, or nullptr.
  const EnvironmentState* environment_of(const std::string& path) const {
    return core.workspace().environment_of(path);
  }
  /// A file's current text: the open document's, else the disk's.
  std::string text_of(const std::string& path) const { return core.workspace().text_of(path); }
  bool is_open(const std::string& path) const { return core.workspace().is_open(path); }
  const std::vector<std::unique_ptr<EnvironmentState>>& environments() const {
    return core.workspace().environments();
  }
  /// Git history of missing parents and of who added each file (server/history_lookups.h).
  HistoryLookups& history() { return core.history(); }
  /// True once the first full index has been installed.
  bool indexed() const { return core.indexed(); }

  // -- the workspace, as features change it ------------------------------------
  // Each keeps the cached line indexes in step and publishes (changed()) when the
  // analysis may have changed, so a feature has nothing else to remember.
  /// textDocument/didOpen: the editor's text wins over the disk's while open; the file's
  /// diagnostics are sent again even if unchanged (see republish).
  void open_document(const std::string& path, std::string text);
  /// textDocument/didChange: each change applies to the result of the previous one (LSP
  /// 3.17). Publishes only when a value the analysis reads changed.
  void change_document(const std::string& path,
                       const std::vector<protocol::TextDocumentContentChangeEvent>& changes);
  /// textDocument/didClose: the disk's text comes back (or the file goes, if never saved).
  void close_document(const std::string& path);
  /// A file created, changed or deleted outside the editor (watched-file events, a file
  /// the server wrote itself).
  struct DiskChange {
    std::string path;  ///< absolute, normal (normal_path)
    bool deleted = false;
  };
  /// Applies them in order, lets the git history lookups re-check, and publishes.
  void files_changed_on_disk(const std::vector<DiskChange>& changes);

  // -- indexing ----------------------------------------------------------------
  /// Indexes every root on a background thread; installs the result on the loop thread,
  /// publishes diagnostics, reports $/progress when the client supports it.
  void index_in_background();
  /// Re-indexes synchronously (configuration or folder changes) and publishes.
  void reindex_now();
  /// Takes the analysis settings an editor sends (initializationOptions, or the
  /// "alembic-lsp" section of didChangeConfiguration); problems with them are shown to
  /// the user. Re-analyses; call changed() afterwards to publish.
  void set_editor_settings(const json& options);
  /// Called after any change to the workspace: updates the watched directories, then
  /// the core's events publish diagnostics and run its after_change hooks.
  void changed();

  // -- positions -------------------------------------------------------------
  /// The line index of a file's current text (open document or disk), cached until
  /// the file changes.
  const protocol::LineIndex& line_index(const std::string& path);
  /// An analysis byte range of `path` as an LSP Range.
  protocol::Range range(const std::string& path, const SourceRange& r);
  /// An LSP Location {uri, range}.
  protocol::Location location(const std::string& path, const SourceRange& r);
  /// An LSP position in a document -> byte offset in its current text.
  uint32_t offset(const std::string& path, const protocol::Position& position);

  // -- diagnostics -------------------------------------------------------------
  /// Recomputes every finding and publishes the files whose diagnostics changed,
  /// including clearing files that no longer have any.
  void publish_diagnostics();
  /// Every current diagnostic, by document URI (files without any are left out): what
  /// publishDiagnostics pushes and textDocument/diagnostic answers.
  std::map<std::string, std::vector<protocol::Diagnostic>> diagnostics_by_uri();
  /// The current diagnostics of one document URI (empty when it has none), without
  /// copying the others'.
  const std::vector<protocol::Diagnostic>& diagnostics_of_uri(const std::string& uri);
  /// A Finding as an LSP Diagnostic.
  protocol::Diagnostic diagnostic(const Finding& finding);
  /// Makes the next publish send this file's diagnostics even if unchanged: clients such
  /// as eglot drop diagnostics of files that were not open when they arrived.
  void republish(const std::string& path);

 private:
  /// Forgets cached text facts about a path (whenever its text changes).
  void invalidate(const std::string& path);

  std::map<std::string, std::shared_ptr<protocol::LineIndex>> line_indexes_;
  /// URIs whose last pushed diagnostics were not empty (to clear when they go).
  std::set<std::string> published_;
  /// URIs to push at the next publish even if unchanged (see republish).
  std::set<std::string> republish_;
  /// One URI's diagnostics JSON and what it was built from: reused while the findings
  /// are equal and every file its ranges were measured in keeps the same line index.
  struct CachedDiagnostics {
    std::vector<Finding> findings;
    protocol::PositionEncoding encoding = protocol::PositionEncoding::Utf16;
    bool related_information = false;
    std::vector<std::pair<std::string, std::shared_ptr<protocol::LineIndex>>> indexes;
    std::vector<protocol::Diagnostic> diagnostics;
  };
  std::map<std::string, CachedDiagnostics> diagnostics_cache_;  ///< by uri
  /// The cached entry of `uri`, rebuilt when its findings or line indexes changed;
  /// `rebuilt` tells which.
  CachedDiagnostics& diagnostics_of(const std::string& uri, std::vector<Finding> findings,
                                    std::map<std::string, CachedDiagnostics>& next, bool& rebuilt);
  /// Recomputes every URI's diagnostics through the cache (diagnostics_cache_ then holds
  /// exactly the URIs with diagnostics); `changed` gets the URIs whose diagnostics were
  /// rebuilt, appeared or went. Unchanged URIs cost a comparison of their findings.
  void refresh_diagnostics(std::vector<std::string>& changed);
  /// What the cache was last refreshed from: nothing to redo while the workspace, its
  /// change log, the core's findings, the line indexes and the client's settings stay.
  struct DiagnosticsSource {
    uint64_t generation = 0, changes = 0, findings = 0;
    protocol::PositionEncoding encoding = protocol::PositionEncoding::Utf16;
    bool related_information = false;
    bool operator==(const DiagnosticsSource&) const = default;
  };
  std::optional<DiagnosticsSource> refreshed_from_;
  bool line_indexes_changed_ = true;  ///< a line index was dropped since the refresh
  uint64_t index_count_ = 0;          ///< names each indexing's progress token
  std::vector<std::pair<fs::path, bool>> watched_dirs_;
  std::vector<std::string> head_file_globs_;  ///< registered with the client
  /// Asks a client that watches files for us to watch the head files too (their place
  /// is in the settings, so no fixed glob covers them), again whenever they move.
  void register_head_files();
};

}  // namespace alembic::server
