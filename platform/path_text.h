// Text and std::filesystem::path: UTF-8 on every system.
//
// The project keeps paths as UTF-8 std::string (URIs, JSON, the command line, report
// lines). std::filesystem reads a narrow string in the C library's locale on Windows: the
// MinGW libstdc++ maps it byte by byte, so "Ü" became two characters and the file was not
// found (or was created under a wrong name). Read as char8_t, the text is UTF-8 everywhere.
// The other way, path::string() gives UTF-8 on every system we build for.
//
// Windows builds are compiled against a copy of <bits/fs_path.h> in which building a path
// from std::string or std::string_view is a deleted function (cmake/windows_path_guard.cmake):
// a conversion that bypasses utf8_path() does not compile there. String literals stay
// allowed (ASCII in this code).
#pragma once

#include <filesystem>
#include <string_view>

namespace alembic::platform {

/// The path that the UTF-8 text names.
inline std::filesystem::path utf8_path(std::string_view text) {
  return std::filesystem::path(
      std::u8string_view(reinterpret_cast<const char8_t*>(text.data()), text.size()));
}

}  // namespace alembic::platform
