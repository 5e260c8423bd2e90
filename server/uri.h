// file:// URIs <-> filesystem paths (RFC 8089, percent-encoding as VS Code writes it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace alembic::server {

/// The path of a file URI ("file:///a%20b/c.py" -> "/a b/c.py"); nullopt for other schemes
/// or malformed escapes.
std::optional<std::string> uri_to_path(std::string_view uri);

/// A file URI for an absolute path, percent-encoding everything but unreserved
/// characters and '/'.
std::string path_to_uri(std::string_view path);

}  // namespace alembic::server
