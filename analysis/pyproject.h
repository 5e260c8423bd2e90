// Reading Alembic's `[tool.alembic]` table from pyproject.toml (Alembic 1.16+), with the
// value rules of alembic.config.Config._get_toml_config_value: strings (also inside
// lists) go through Python's `%` operator with {"here": <dir of the file>}, so `%(here)s`
// expands and `%%` means `%`; booleans must be TOML booleans; integers may be strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alembic {

/// A string value of [tool.alembic] after `%` formatting, with the line it is on.
struct TomlString {
  std::string value;
  std::string raw;  ///< as written in the file, before `%` formatting
  int line = 0;
};

struct PyprojectProblem {
  int line = 0;  ///< 1-based, 0 when not about a line
  std::string message;
};

/// The parts of [tool.alembic] that say where migrations are and how they are named.
struct PyprojectAlembic {
  bool parsed = false;       ///< the file is valid TOML
  bool has_table = false;    ///< [tool.alembic] is present
  int table_line = 0;
  std::optional<TomlString> script_location;
  std::optional<std::vector<TomlString>> version_locations;  ///< set only when non-empty
  int version_locations_line = 0;
  std::optional<TomlString> file_template;
  std::optional<long long> truncate_slug_length;
  int truncate_slug_length_line = 0;
  std::optional<bool> recursive_version_locations;
  int recursive_version_locations_line = 0;
  /// TOML syntax errors and values Alembic would reject (with the key's line).
  std::vector<PyprojectProblem> problems;
};

/// Reads [tool.alembic] from the text of a pyproject.toml. `here` is the absolute
/// directory of the file, as Alembic substitutes it for `%(here)s`.
PyprojectAlembic read_pyproject_alembic(std::string_view text, std::string_view here);

/// Python's `text % {"here": here}` restricted to what configs use: `%%` and `%(name)s`.
/// nullopt (and `error` set) where Python raises (unknown key, bad format).
std::optional<std::string> python_percent_format(std::string_view text, std::string_view here,
                                                 std::string* error);

}  // namespace alembic
