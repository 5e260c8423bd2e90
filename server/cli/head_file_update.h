// `alembic-lsp merge` keeps the head file (analysis/head_file.h) right: after writing a
// new migration it rewrites the head files the project's [tool.alembic-lsp] asks for,
// as the editor's merge action does in its WorkspaceEdit.
#pragma once

#include <string>
#include <vector>

#include "analysis/project.h"

namespace alembic::cli {

/// Rewrites every head file that records `env` so it names `heads` for it (the other
/// environments of a shared file keep their current heads), creating a missing one.
/// Returns the paths written, as displayed. Throws std::runtime_error when one cannot be.
std::vector<std::string> update_head_files(const LoadedEnvironment& env,
                                           const std::vector<std::string>& heads);

}  // namespace alembic::cli
