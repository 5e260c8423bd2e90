// Turning a merge plan (analysis/merge_plan.h) into what a client can apply: a
// WorkspaceEdit that creates the file, an edit that fills a file reserved on disk, or
// the file written by the server itself. Never replaces an existing file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/merge_plan.h"
#include "protocol/lsp_edits.h"
#include "server/new_file.h"
#include "server/session.h"

namespace alembic::server {

/// The merge of every head of the environment whose version locations hold `path`,
/// planned now. nullopt, with `why`, when the file is in no environment or there is
/// nothing to merge.
std::optional<MergePlan> plan_merge_for(Session& session, const std::string& path,
                                        std::string* why);

/// "Merge 3 heads into a new migration", and "(2 branches both alter table orders)"
/// when the plan's conflict_note says so.
std::string merge_title(const MergePlan& plan);

/// WorkspaceEdit: documentChanges = [CreateFile (never overwriting), TextDocumentEdit
/// inserting the script at 0:0 of the new file].
protocol::WorkspaceEdit create_file_edit(const MergePlan& plan);
/// A WorkspaceEdit that creates `target` (never overwriting: the client fails if it
/// exists) and inserts `content`: the merge action's and the git restore's.
protocol::WorkspaceEdit create_file_edit(const std::filesystem::path& target,
                                         const std::string& content);

/// WorkspaceEdit filling an existing empty file with the script, for clients that edit
/// documents but cannot create files: documentChanges when supported, else changes.
protocol::WorkspaceEdit fill_file_edit(const MergePlan& plan, bool document_changes);

}  // namespace alembic::server
