// Finding Alembic environments and their migration files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/path_text.h"

namespace alembic {

/// One Alembic environment: a script location and its version locations.
struct Environment {
  std::string name;  ///< human name: the ini section if not "alembic", else the script location
                     ///< dir, relative to the discovery root
  std::optional<std::filesystem::path>
      config_path;             ///< alembic.ini or pyproject.toml; empty for a bare versions dir
  std::string config_section;  ///< "alembic" (ini), "tool.alembic" (toml), "" (bare)
  std::filesystem::path script_location;  ///< absolute; empty for a bare versions dir
  std::vector<std::filesystem::path> version_locations;  ///< absolute, configured order
  bool recursive_version_locations = false;
  std::string file_template =
      "%%(rev)s_%%(slug)s";  ///< as written in the config (configparser `%%` kept)
  int truncate_slug_length = 40;
  /// Folders below a version location that hold migration files no environment reads
  /// (a nested folder when recursive_version_locations is off); absolute, sorted.
  std::vector<std::filesystem::path> unread_folders;
};

/// One string per environment: its script location, config section and version
/// locations (two discoveries of one environment give the same key).
std::string environment_key(const Environment& env);

/// A problem met while discovering (bad config, unreadable dir, symlink loop...).
struct DiscoveryProblem {
  std::filesystem::path path;
  int line = 0;  ///< 1-based, 0 when not about a line
  std::string message;
  bool fatal = false;  ///< the environment could not be set up at all
};

struct Discovery {
  std::vector<Environment> environments;
  std::vector<DiscoveryProblem> problems;
};

/// `path` may be: a project root (alembic.ini and/or pyproject.toml [tool.alembic] in it),
/// an alembic.ini / pyproject.toml file, a directory holding migration files directly,
/// or a monorepo root (environments found in subdirectories, skipping .git, node_modules,
/// virtualenvs and hidden dirs). Environments are returned in a stable sorted order.
///
/// Layouts besides `alembic init`'s:
/// - Flask-Migrate: an alembic.ini whose [alembic] section has no script_location, beside
///   env.py and a versions/ directory, is an environment whose script location is the
///   ini's directory (Flask-Migrate sets it so in code).
/// - Without a config, migration folders nested below a directory named `versions` (or
///   below a directory beside env.py) are one environment read recursively, as Alembic
///   reads them with recursive_version_locations = true. A bare versions directory whose
///   parent holds script.py.mako has that parent as its script location.
Discovery discover_environments(const std::filesystem::path& path);

/// True when `name` (as typed by a user: `--name`, a settings key) names `env`: its full
/// name, its ini section (`-n core`), or a trailing run of path components of its name
/// (`audit/migrations`, `migrations`).
bool environment_answers_to(const Environment& env, std::string_view name);

/// The environments of `envs` that `name` designates: the one whose full name it is, else
/// every one that answers to it. One: that environment; several: ambiguous; none: unknown.
std::vector<const Environment*> environments_named(const std::vector<const Environment*>& envs,
                                                   std::string_view name);

/// Alembic's file filter `(?!\.\#|__init__)(.*\.py)$` matched at the start of a name.
bool is_migration_file_name(std::string_view file_name);

/// The migration files of an environment, in Alembic's load order: each version
/// location in configured order, files sorted by name within it (recursive when
/// configured, skipping __pycache__). The same real file reached twice is listed once.
/// Missing version dirs are skipped silently; unreadable ones and loops are reported.
std::vector<std::filesystem::path> list_migration_files(const Environment& env,
                                                        std::vector<DiscoveryProblem>& problems);

/// Reads a file as bytes. Throws std::runtime_error naming the path on failure.
std::string read_file_bytes(const std::filesystem::path& path);
/// The same for a path given as UTF-8 text (platform::utf8_path).
inline std::string read_file_bytes(const std::string& path) {
  return read_file_bytes(platform::utf8_path(path));
}

}  // namespace alembic
