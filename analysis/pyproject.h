// Reading Alembic's `[tool.alembic]` table from pyproject.toml (Alembic 1.16+), with the
// value rules of alembic.config.Config._get_toml_config_value: strings (also inside
// lists) go through Python's `%` operator with {"here": <dir of the file>}, so `%(here)s`
// expands and `%%` means `%`; booleans must be TOML booleans; integers may be strings.
// Also the way Alembic 1.16+ combines it with alembic.ini, option by option
// (Config.get_alembic_option), since that rule came with pyproject support.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/ini.h"

namespace alembic {

/// A string value of [tool.alembic] after `%` formatting, with the line it is on.
struct TomlString {
  std::string value;
  std::string raw;  ///< as written in the file, before `%` formatting
  int line = 0;
  bool formatted = true;  ///< false: `%` formatting failed (reported); only `raw` is set
};

struct PyprojectProblem {
  int line = 0;  ///< 1-based, 0 when not about a line
  std::string message;
};

/// The parts of [tool.alembic] that say where migrations are and how they are named.
struct PyprojectAlembic {
  bool parsed = false;     ///< the file is valid TOML
  bool has_table = false;  ///< [tool.alembic] is present
  int table_line = 0;
  std::optional<TomlString> script_location;
  std::optional<std::vector<TomlString>> version_locations;  ///< set only when non-empty
  int version_locations_line = 0;
  std::optional<TomlString> file_template;  ///< kept unformatted when formatting fails
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

/// One option value as Alembic reads it, and where it is written.
struct ConfigValue {
  std::string value;
  std::filesystem::path file;
  int line = 0;
};

/// A value Alembic would reject or misread, in the file that holds it.
struct ConfigProblem {
  std::filesystem::path file;
  int line = 0;
  std::string message;
};

/// Alembic's options for one ini section: read from that section (DEFAULT included) when
/// set there, else from [tool.alembic] (Config.get_alembic_option). Either file may be
/// absent (nullptr). Values are interpolated; paths are returned as written.
class AlembicOptions {
 public:
  AlembicOptions(const IniFile* ini, std::filesystem::path ini_path, const PyprojectAlembic* toml,
                 std::filesystem::path toml_path, std::string section);

  std::optional<ConfigValue> script_location();
  /// Entries as configured: an ini value split with path_separator /
  /// version_path_separator (or the legacy space/comma rule), else the toml list.
  /// Empty: Alembic's default <script_location>/versions.
  std::vector<ConfigValue> version_locations();
  /// ini: exactly "true" (Alembic compares strings); toml: a boolean.
  bool recursive_version_locations();
  /// configparser-escaped (`%%`), like Environment::file_template; nullopt: unset.
  std::optional<std::string> file_template();
  /// int() of the value; nullopt when unset or invalid (both reported).
  std::optional<long long> truncate_slug_length();

  const std::vector<ConfigProblem>& problems() const { return problems_; }

 private:
  bool ini_has(std::string_view key) const;
  std::optional<ConfigValue> ini_value(std::string_view key);
  std::optional<std::string> separator();

  const IniFile* ini_;
  std::filesystem::path ini_path_;
  const PyprojectAlembic* toml_;
  std::filesystem::path toml_path_;
  std::string section_;
  std::vector<ConfigProblem> problems_;
};

}  // namespace alembic
