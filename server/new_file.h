// Creating a new file safely, for the merge code action and `alembic-lsp merge` alike:
// never replacing an existing file, never publishing half a file. The system calls are
// the platform layer's (platform/files.h).
#pragma once

#include "platform/files.h"

namespace alembic::server {

/// Creates `path` with `content`, failing (std::runtime_error naming the path) if it
/// exists; a reader never sees half a file and nothing is replaced.
using platform::write_new_file;

/// Creates `path` empty (a reservation of the name). Throws std::runtime_error naming the
/// path if it exists or cannot be created.
using platform::reserve_new_file;

}  // namespace alembic::server
