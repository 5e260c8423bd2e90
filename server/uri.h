// file:// URIs <-> filesystem paths (RFC 8089, percent-encoding as VS Code writes it), in
// POSIX form ("/a/b.py") or Windows form ("C:\a\b.py", "\\server\share\b.py"). The
// default is this build's system; both forms are tested on every system.
#pragma once

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

}  // namespace alembic::server
