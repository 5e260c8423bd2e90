// What the server must hear about from outside the editor, besides the documents it has
// open: the directories its own watcher follows (platform/watcher.h) when the client does
// not watch for it, and the globs of the files whose place only the settings know (the
// head files), registered with a client that does. No LSP here.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "server/workspace.h"

namespace alembic::server {

/// Each directory to watch (recursive or not), sorted and without repeats: the workspace
/// roots; each environment's version locations, config directory and script directory
/// (script.py.mako, env.py; `alembic init` puts them apart from the config); the directory
/// of each head file, wherever the settings put it.
std::vector<std::pair<std::filesystem::path, bool>> watched_directories(const Workspace& workspace);

/// A didChangeWatchedFiles glob for each head file, sorted and without repeats: "**/" and
/// its path below the workspace root that holds it (globs are matched against absolute
/// paths), or its absolute path (forward slashes) when no root holds it.
std::vector<std::string> head_file_globs(const Workspace& workspace);

}  // namespace alembic::server
