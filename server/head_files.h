// The head files (analysis/head_file.h) of the workspace: which files the settings of its
// environments ask for, their current text (the editor's while open), and their
// head-file-mismatch findings. No LSP here; features/head_file_edit.h makes the edits.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analysis/head_file.h"
#include "server/workspace.h"

namespace alembic::server {

/// Every head file the workspace's settings ask for, with their environments and graphs
/// (valid until the workspace changes). config-warning findings go to `problems`.
std::vector<HeadFile> workspace_head_files(const Workspace& workspace,
                                           std::vector<Finding>* problems = nullptr);

/// The head files that record `env`.
std::vector<HeadFile> head_files_of(const Workspace& workspace, const EnvironmentState& env);

/// A head file's current text: the open document's, else the disk's; nullopt when it
/// does not exist (`error` empty) or cannot be read (`error` says why).
std::optional<std::string> head_file_text(const Workspace& workspace, const HeadFile& file,
                                          std::string* error);

/// True when `path` (normal) is one of the workspace's head files.
bool is_head_file(const Workspace& workspace, const std::string& path);

/// Replaces the text of the existing file `path` with `content`: written beside it, then
/// renamed over it, so a reader never sees half a file. Throws std::runtime_error.
void replace_file(const fs::path& path, const std::string& content);

/// The findings of every head file, after each settings file's severities and ignores.
std::vector<Finding> head_file_findings(const Workspace& workspace);

}  // namespace alembic::server
