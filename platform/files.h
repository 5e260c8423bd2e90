// Reading files without hanging on special files, and creating files without ever
// replacing an existing one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace alembic::platform {

/// The whole content of a regular file. Throws std::runtime_error naming the path when it
/// cannot be opened or is not a regular file (a FIFO named like a migration never blocks).
std::string read_regular_file(const std::filesystem::path& path);

/// At most `limit` bytes from the start of `path`; nullopt when it cannot be opened.
std::optional<std::string> read_file_prefix(const std::filesystem::path& path, size_t limit);

/// Why `path` cannot be read as a regular file ("cannot read migration file: ...", "not a
/// regular file"), or nullopt when it can.
std::optional<std::string> regular_file_problem(const std::filesystem::path& path);

/// Creates `path` empty, failing if it exists (a reservation of the name). Throws
/// std::runtime_error naming the path if it exists or cannot be created.
void reserve_new_file(const std::filesystem::path& path);

/// Creates `path` with `content`, failing (std::runtime_error naming the path) if it
/// exists: the text goes to a temporary file in the same directory which is then published
/// under `path` by an operation that never replaces a name (link(2) on POSIX,
/// MoveFileExW without MOVEFILE_REPLACE_EXISTING on Windows), so a reader never sees half
/// a file and nothing is replaced.
void write_new_file(const std::filesystem::path& path, std::string_view content);

/// The name of the last component of `path` as its directory stores it, when it exists:
/// on Windows, whose file names compare without case, "c:\proj\A.PY" gives "a.py" if that
/// is how the file was created (FindFirstFileW); elsewhere the name as given. nullopt when
/// there is no such entry.
std::optional<std::string> name_on_disk(const std::filesystem::path& path);

}  // namespace alembic::platform
