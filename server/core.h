// The language server's core, independent of LSP (the way clangd's ClangdServer is of
// ClangdLSPServer): the workspace, the indexing thread, the analyses and their findings
// after the project's settings, the git history lookups, and the events that tell the
// binding (server/session.h) when what it shows may have changed. No JSON, no endpoint:
// a test drives it with plain calls (tests/unit/server_core_test.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "analysis/model.h"
#include "analysis/settings.h"
#include "server/branch_conflict_lint.h"
#include "server/operation_lint.h"
#include "server/workspace.h"

namespace alembic::server {

class HistoryLookups;

class Core {
 public:
  /// Runs a task on the thread that owns the core (the binding's event loop). Work done on
  /// other threads (indexing, git lookups) comes back through it.
  using Post = std::function<void(std::function<void()>)>;

  explicit Core(Post post);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  Workspace& workspace() { return workspace_; }
  const Workspace& workspace() const { return workspace_; }
  /// Git history of missing parents and of who added each file (server/history_lookups.h).
  HistoryLookups& history() { return *history_; }
  /// True once the first full index has been installed.
  bool indexed() const { return indexed_; }

  // -- indexing ----------------------------------------------------------------
  struct IndexEvents {
    /// Environments loaded so far, of how many (on the indexing thread).
    std::function<void(size_t done, size_t total)> progress;
    /// The load ended (on the owner's thread), whether or not a newer one replaced it.
    std::function<void()> ended;
    /// The result was installed (on the owner's thread): "indexed N environment(s), ...".
    std::function<void(const std::string& summary)> installed;
  };
  /// Loads every root on a background thread and installs the result on the owner's
  /// thread, unless a newer index started meanwhile.
  void index_in_background(IndexEvents events);
  /// Re-indexes synchronously (configuration or folder changes).
  void reindex_now();

  /// Takes the analysis settings an editor sends; returns the problems found in them.
  std::vector<Finding> set_editor_settings(Settings settings);

  // -- events ------------------------------------------------------------------
  /// Whoever shows findings: called when they may have changed (after every change of
  /// the workspace, and when git history answers arrive).
  std::function<void()> findings_changed;
  /// Run after findings_changed on every change of the workspace: views whose answers
  /// depend on other files (code lens, inlay hints) refresh.
  std::vector<std::function<void()>> after_change;
  /// Call after any change to the workspace: fires the events, then lets the history
  /// lookups re-check what changed.
  void changed();
  /// Only the operation findings of an open migration may have changed (an edit inside
  /// upgrade() or downgrade()): findings are published again, nothing else runs.
  void operations_changed();
  /// Bumped whenever findings may have changed without the workspace changing (answers
  /// of the git history lookups); with the workspace's generation and change log
  /// position it tells a reader whether current_findings() can differ from last time.
  uint64_t findings_version() const { return findings_version_; }

  // -- findings ----------------------------------------------------------------
  /// Every finding of every environment, after the [tool.alembic-lsp] settings (ignored
  /// codes dropped, severities overridden), with the settings files' own problems and
  /// what git history says about missing parents.
  std::vector<Finding> current_findings();
  const OperationLint& operation_lint() const { return operation_lint_; }

  /// For the quiet moments after a change (Endpoint::on_idle): computes branch-conflict
  /// again where something changed (server/branch_conflict_lint.h), stopping when
  /// `interrupted` says a message waits, and shows the findings again if they changed.
  void refresh_branch_conflicts(const std::function<bool()>& interrupted);
  const BranchConflictLint& branch_conflict_lint() const { return branch_conflict_lint_; }

  /// Stops the background work (indexing, git lookups); the destructor does it too.
  void shutdown();

 private:
  Post post_;
  Workspace workspace_;
  std::unique_ptr<HistoryLookups> history_;
  OperationLint operation_lint_;             ///< the operation findings of open (or all) migrations
  BranchConflictLint branch_conflict_lint_;  ///< computed when quiet, shown until then
  bool indexed_ = false;
  uint64_t index_epoch_ = 0;  ///< bumped by every reindex, to drop stale results
  uint64_t findings_version_ = 0;
  std::thread indexer_;
};

}  // namespace alembic::server
