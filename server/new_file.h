// Creating a new file safely, for the merge code action and `alembic-lsp merge` alike:
// never replacing an existing file, never publishing half a file.
#pragma once

#include <filesystem>
#include <string_view>

namespace alembic::server {

/// Creates `path` with `content`, failing (std::runtime_error naming the path) if it
/// exists: the text goes to a temporary file in the same directory which is then hard
/// linked to `path`, so a reader never sees half a file and nothing is replaced.
void write_new_file(const std::filesystem::path& path, std::string_view content);

/// Creates `path` empty with O_CREAT|O_EXCL (a reservation of the name). Throws
/// std::runtime_error naming the path if it exists or cannot be created.
void reserve_new_file(const std::filesystem::path& path);

}  // namespace alembic::server
