// The project's own settings for alembic-lsp: the [tool.alembic-lsp] table of
// pyproject.toml. They turn intended layouts into non-errors (expected-heads,
// allow-multiple-heads) and tune what is reported (ignore, severity).
//
//   [tool.alembic-lsp]
//   expected-heads = 2                      # or { "migrations" = 1, "services/audit" = 2 }
//   allow-multiple-heads = false
//   ignore = ["header-mismatch"]
//   severity = { unresolved-value = "info", syntax-error = "off" }
//   version-locations = { "migrations" = ["migrations/versions/expand",
//   "migrations/versions/contract"] }
//   head-file = "migrations/HEAD"           # or { "migrations" = "migrations/HEAD", ... }
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/alembic_version.h"
#include "analysis/finding_rules.h"
#include "analysis/graph.h"
#include "analysis/model.h"
#include "analysis/project.h"

namespace alembic {

/// The code of a problem in the settings themselves (unknown key, wrong type).
inline constexpr std::string_view kConfigWarningCode = rule_of(Code::ConfigWarning).code;

/// Every finding code the engine emits, in the order of kFindingRules.
const std::vector<std::string>& known_finding_codes();

struct Settings {
  std::optional<std::filesystem::path> file;                 ///< the pyproject.toml read, if any
  std::string file_name;                                     ///< how findings name that file
  bool has_table = false;                                    ///< [tool.alembic-lsp] is present
  std::optional<int> expected_heads;                         ///< one number for every environment
  std::map<std::string, int> expected_heads_by_environment;  ///< environment name -> heads
  std::map<std::string, int> expected_heads_lines;  ///< environment name -> its line (1-based)
  std::optional<bool> allow_multiple_heads;
  /// environment name -> its version locations as written (relative to the directory of
  /// `file`), for projects that set them in Python instead of alembic.ini.
  std::map<std::string, std::vector<std::string>> version_locations_by_environment;
  std::set<std::string> ignore;  ///< codes never reported
  /// code -> severity it is reported with; nullopt: "off" (never reported).
  std::map<std::string, std::optional<Severity>> severity;
  std::optional<std::string> alembic_version_setting;  ///< alembic-version, as written
  /// `dialect = "postgresql"`: the database the migrations run on, for the operation
  /// findings when alembic.ini's sqlalchemy.url is not a literal (operation_findings.h).
  std::optional<std::string> dialect;
  /// `lint = "open" | "all" | "off"`: which migrations' operations are checked for the
  /// operation findings. "open" (the default): the editor's open migrations, and `check`
  /// only with --lint all or --base; "all": every migration, in the editor and in
  /// `check`; "off": none (an explicit `check --lint all` still checks).
  std::optional<std::string> lint;
  /// `head-file = "migrations/HEAD"`: one file recording the head of every environment
  /// reading these settings (analysis/head_file.h); relative to the directory of `file`.
  std::optional<std::string> head_file;
  uint32_t head_file_line = 0;  ///< 0-based line of that key
  /// `head-file = { "migrations" = "migrations/HEAD", ... }`: one file per environment.
  std::map<std::string, std::string> head_file_by_environment;
  std::map<std::string, uint32_t> head_file_lines;  ///< environment name -> 0-based line
  /// The Alembic the project runs (load_settings detects it; see alembic_version.h).
  AlembicVersion alembic;
  /// config-warning findings about the table itself (unknown keys, wrong types), each
  /// naming the file and line.
  std::vector<Finding> problems;
};

/// Reads [tool.alembic-lsp] from the text of a pyproject.toml. `path_name` is how
/// findings name the file. A file without the table gives empty settings.
Settings parse_settings(std::string_view toml_text, const std::string& path_name);

/// The same keys given by an editor (initializationOptions), as the body of a TOML table
/// (`expected-heads = 2` ...). Problems are config-warning findings whose messages name
/// `label` and no line; their location path is `label`.
Settings parse_settings_keys(std::string_view toml_text, const std::string& label);

/// The project's settings with the editor's underneath: the project's pyproject.toml
/// decides expected-heads (all of it, when it sets any) and allow-multiple-heads, and
/// each code's severity; the editor fills what it leaves unset, and `ignore` lists add
/// up. Problems are the project's only.
Settings merge_settings(Settings project, const Settings& editor);

/// The pyproject.toml that holds the settings for `start` (a directory or a file): the
/// one in that directory or else in its nearest parent directory.
std::optional<std::filesystem::path> find_pyproject(const std::filesystem::path& start);

/// find_pyproject + parse_settings, naming the file in findings with `name_path`.
/// An unreadable file gives a config-warning.
Settings load_settings(const std::filesystem::path& start, const PathNamer& name_path);

/// `env` with the version locations `[tool.alembic-lsp] version-locations` gives it (the
/// entry whose name `env` answers to, paths resolved against the settings file's
/// directory), read recursively as configured; unchanged without such an entry.
Environment with_configured_locations(Environment env, const Settings& settings);

/// The analysis options for `env`, one of `environments` (every environment that reads
/// these settings). An expected-heads key applies to the environment it names (see
/// environments_named: its full name, its ini section or a trailing part of its path)
/// when it names exactly one; a key that is the full name wins over the others.
AnalysisOptions analysis_options(const Settings& settings, const Environment& env,
                                 const std::vector<const Environment*>& environments);

/// config-warning findings for entries of an expected-heads table that name none of
/// `environments` or several of them (a typo would otherwise silently do nothing); each
/// lists the choices.
std::vector<Finding> unknown_environment_findings(
    const Settings& settings, const std::vector<const Environment*>& environments);

/// The post-filter: first makes version-dependent findings follow settings.alembic
/// (apply_alembic_version), then drops findings whose code is ignored or "off", and gives the
/// others their configured severity. Order is kept.
void apply_settings(std::vector<Finding>& findings, const Settings& settings);

}  // namespace alembic
