// file:// URIs <-> filesystem paths (RFC 8089, percent-encoding as VS Code writes it), in
// POSIX form ("/a/b.py") or Windows form ("C:\a\b.py", "\\server\share\b.py"). The
// default is this build's system; both forms are tested on every system.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "platform/system.h"

namespace alembic::server {

enum class PathStyle { Posix, Windows };
inline constexpr PathStyle kNativePathStyle =
    platform::kWindowsPaths ? PathStyle::Windows : PathStyle::Posix;

/// The path of a file URI; nullopt for other schemes or malformed escapes.
/// Posix: "file:///a%20b/c.py" -> "/a b/c.py"; a host other than localhost is refused.
/// Windows: "file:///c%3A/a/b.py" and "file:///C:/a/b.py" -> "C:\a\b.py" (the drive letter
/// upper case), "file://server/share/b.py" -> "\\server\share\b.py" (UNC).
std::optional<std::string> uri_to_path(std::string_view uri, PathStyle style = kNativePathStyle);

/// A file URI for an absolute path, percent-encoding everything but unreserved characters
/// and '/'. Windows: '\' and '/' both separate, the drive letter is written lower case with
/// its colon encoded ("file:///c%3A/a/b.py", as VS Code writes it), UNC paths keep their
/// server as the URI's host, and a "\\?\" prefix is dropped.
std::string path_to_uri(std::string_view path, PathStyle style = kNativePathStyle);

/// A key under which two spellings of one path compare equal where the system's file
/// names do: on Windows without case and with either separator; unchanged on POSIX.
std::string path_key(std::string_view path, PathStyle style = kNativePathStyle);

/// The stored name of the last component of a path, or nullopt when it does not exist
/// (platform::name_on_disk, or a stand-in in tests).
using NameOnDisk = std::function<std::optional<std::string>(const std::string& path)>;

/// A Windows path (absolute, lexically normal) with every component that exists spelled as
/// the file system stores it and the drive letter upper case, so that every spelling of one
/// file ("c:\proj\Migrations\A.py", "C:/Proj/migrations/a.py") gives one string: Windows
/// compares file names without case. The root ("C:\", "\\server\share\", "\\?\C:\") is
/// kept as written but for the drive letter; from the first component that does not exist
/// on, the rest is kept as written. Separators come out as '\'.
std::string spelled_as_on_disk(std::string_view path, const NameOnDisk& name_on_disk);

}  // namespace alembic::server
