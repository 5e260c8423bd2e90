// Keeping the head file (analysis/head_file.h) right in the same WorkspaceEdit as the
// change that moves a head: the merge action, the rebase action, the "New migration"
// action; and the head-file-mismatch quick fixes on the head file itself.
#pragma once

#include <string>
#include <vector>

#include "protocol/lsp_edits.h"
#include "server/session.h"

namespace alembic::server {

/// Adds to `edit` (shaped as the client supports: documentChanges or changes) the
/// change of every head file of `env` once its heads are `heads`: the whole text
/// replaced, or a missing file created (only with documentChanges and file creation).
/// Returns the paths it changes; none without a head-file setting.
std::vector<std::string> add_head_file_edit(Session& session, const EnvironmentState& env,
                                            const std::vector<std::string>& heads,
                                            protocol::WorkspaceEdit& edit);

/// The head-file part of adding migration `new_id` whose down_revision is `parents`
/// (empty for a base) to `env`: for the "New migration" and merge actions. Appends to
/// `edit`, as add_head_file_edit.
std::vector<std::string> add_head_file_edit_for_new_revision(
    Session& session, const EnvironmentState& env, const std::string& new_id,
    const std::vector<std::string>& parents, protocol::WorkspaceEdit& edit);

/// Writes the head files of `env` for heads `heads` directly (a client that cannot
/// apply edits): replaces existing ones, creates missing ones. Returns the paths written.
std::vector<std::string> write_head_files(Session& session, const EnvironmentState& env,
                                          const std::vector<std::string>& heads);

/// Code actions for head-file-mismatch diagnostics on `path` (a head file, or the
/// settings file for a missing one): rewrite it from the history, and on a fork the
/// merge of the heads and the rebases, each updating the file.
std::vector<protocol::CodeAction> head_file_actions(
    Session& session, const std::string& path,
    const std::vector<protocol::ClientDiagnostic>& diagnostics);

}  // namespace alembic::server
