// A reader for .ini files that gives the same answers as Python's
// configparser.ConfigParser() with its defaults (the parser Alembic uses for alembic.ini):
// `key = value` and `key: value`, indented continuation lines, `#`/`;` full-line comments
// (inline comments are kept as part of the value), case-insensitive option names,
// case-sensitive section names, a DEFAULT section, and BasicInterpolation
// (`%(name)s`, `%%`). Where Python would raise, the error is kept with its line and
// reading goes on, so a tool can still show the rest of the file.
#pragma once

#include "platform/system.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alembic {

/// Something Python's configparser would refuse, with its 1-based line (0: whole file).
struct IniError {
  int line = 0;
  std::string message;
};

/// One `name = value` as written; `name` is lower-cased, `raw` is not interpolated.
struct IniOption {
  std::string name;
  std::string raw;
  int line = 0;  ///< line of the `name` (0 for a default given by the caller)
};

struct IniSection {
  std::string name;
  int line = 0;                    ///< line of the `[name]` header
  std::vector<IniOption> options;  ///< in file order
};

/// The result of ConfigParser.get(section, option): the interpolated value, or why not.
struct IniLookup {
  bool found = false;             ///< the option is set in the section or in DEFAULT
  std::string value;              ///< interpolated (empty when `error` is set)
  int line = 0;                   ///< line of the option
  std::optional<IniError> error;  ///< interpolation failure (Python raises)
};

class IniFile {
 public:
  /// Parses `text`. `defaults` seed the DEFAULT section first, like ConfigParser(defaults)
  /// (Alembic passes {"here": <dir of the ini>}); a [DEFAULT] in the file overrides them.
  static IniFile parse(std::string_view text,
                       const std::vector<std::pair<std::string, std::string>>& defaults = {});

  const std::vector<IniError>& errors() const { return errors_; }
  const std::vector<IniSection>& sections() const { return sections_; }  ///< without DEFAULT
  const IniSection& defaults() const { return defaults_; }

  /// Like ConfigParser.has_section: case-sensitive, false for "DEFAULT".
  bool has_section(std::string_view section) const;
  const IniSection* section(std::string_view name) const;
  /// The raw option from the section itself, else from DEFAULT; nullptr when unset.
  const IniOption* find(std::string_view section, std::string_view option) const;
  /// Like ConfigParser.get(section, option) with BasicInterpolation.
  IniLookup get(std::string_view section, std::string_view option) const;

 private:
  std::vector<IniError> errors_;
  std::vector<IniSection> sections_;
  IniSection defaults_{"DEFAULT", 0, {}};

  friend class IniParser;
};

/// Python's int(str): surrounding whitespace, optional sign, digits with single `_`
/// between them. nullopt when Python would raise ValueError (or on overflow).
std::optional<long long> parse_python_int(std::string_view text);

/// Alembic's `path_separator` / `version_path_separator` values: "space", "newline",
/// "os" (Python's os.pathsep: ';' on Windows, ':' elsewhere; `windows` picks which), ":",
/// ";" give the character to split on; nullopt for anything else
/// (Alembic raises ValueError).
std::optional<std::string> alembic_path_separator(std::string_view value,
                                                  bool windows = platform::kWindowsPaths);

/// How Alembic splits a path list written in an ini value (version_locations): with a
/// separator, split on it, strip each piece and drop empty ones (1.16+); without one,
/// the legacy `re.split(r", *|(?: +)", value)`, which can yield empty pieces.
std::vector<std::string> split_alembic_path_list(std::string_view value,
                                                 const std::optional<std::string>& separator);

/// Python's str.strip() for the ASCII whitespace set.
std::string_view strip_python_whitespace(std::string_view text);

}  // namespace alembic
