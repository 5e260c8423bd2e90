// Finding Alembic environments. The rules follow Alembic's alembic/config.py and
// alembic/script/base.py (1.8.1 as shipped by Debian, and upstream 1.16+ for
// pyproject.toml, path_separator and recursive_version_locations).
//
// Deliberate differences from Alembic, because this tool runs from anywhere:
// - Relative paths (script_location, version_locations) are resolved against the
//   directory of the config file. Alembic resolves them against the current working
//   directory, which is that directory when users run `alembic` as documented.
// - `package:dir` locations are found on disk (<ancestor>/<package as dirs>/<dir>, also
//   under src/) instead of importing the package.
// - pyproject.toml is looked for next to the ini file (Alembic looks in the current
//   working directory). Per option, the ini section is read first, then [tool.alembic],
//   as Config.get_alembic_option does.
#include "analysis/discovery.h"

#include "analysis/discovery_config.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "platform/files.h"
#include "platform/path_text.h"

namespace alembic {

std::string environment_key(const Environment& env) {
  std::string key = env.script_location.string() + "|" + env.config_section + "|";
  for (const auto& v : env.version_locations) key += v.string() + ";";
  return key;
}
namespace fs = std::filesystem;

namespace {

using namespace discovery_detail;

// True when the file assigns both `revision` and `down_revision` at the start of a line
// (outside strings: generators hold migration templates) within its first 64 KiB.
// Unreadable files are reported later, when the environment is listed.
bool looks_like_migration(const fs::path& file) {
  std::optional<std::string> prefix = platform::read_file_prefix(file, 65536);
  if (!prefix) return false;
  const std::string& text = *prefix;
  auto assigns_at = [&](size_t pos, std::string_view name) {
    if (text.compare(pos, name.size(), name) != 0) return false;
    size_t i = text.find_first_not_of(" \t", pos + name.size());
    return i != std::string::npos && (text[i] == '=' || text[i] == ':');
  };
  bool revision = false, down_revision = false;
  for (size_t i = 0; i < text.size() && !(revision && down_revision); ++i) {
    if (i == 0 || text[i - 1] == '\n' || text[i - 1] == '\r') {
      revision = revision || assigns_at(i, "revision");
      down_revision = down_revision || assigns_at(i, "down_revision");
    }
    char c = text[i];
    if (c == '#') {
      i = std::min(text.find('\n', i), text.size()) - 1;
    } else if (c == '"' || c == '\'') {
      std::string quote =
          text.compare(i, 3, std::string(3, c)) == 0 ? std::string(3, c) : std::string(1, c);
      size_t j = i + quote.size();
      while (j < text.size() && text.compare(j, quote.size(), quote) != 0 &&
             (quote.size() == 3 || text[j] != '\n')) {
        j += text[j] == '\\' ? 2 : 1;
      }
      i = std::min(j + quote.size(), text.size()) - 1;
    }
  }
  return revision && down_revision;
}

bool skipped_dir_name(const std::string& name) {
  static const std::set<std::string> kSkipped{"node_modules", "__pycache__",   "build",
                                              "dist",         "site-packages", "dist-packages"};
  return name.empty() || name[0] == '.' || kSkipped.count(name) != 0 ||
         (name.size() > 9 && name.ends_with(".egg-info"));
}

struct Walker {
  fs::path root;
  std::vector<DirConfig> configs;
  std::vector<fs::path> bare_dirs;
  std::set<fs::path> visited;  // real paths
  std::vector<DiscoveryProblem>& problems;

  void walk(const fs::path& dir, bool is_root) {
    std::error_code ec;
    fs::path real = fs::canonical(dir, ec);
    if (ec || !visited.insert(real).second) return;
    std::vector<std::string> files;
    std::vector<std::string> dirs;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::error_code type_ec;
      (it->is_directory(type_ec) ? dirs : files).push_back(name);
    }
    if (ec) {
      problems.push_back({dir, 0, "cannot read directory: " + ec.message(), false});
      return;
    }
    auto has = [&](std::string_view n) {
      return std::find(files.begin(), files.end(), n) != files.end();
    };
    // Virtualenvs and CMake build trees hold copies of other projects' migrations.
    if (!is_root && (has("pyvenv.cfg") || has("CMakeCache.txt"))) return;
    std::sort(files.begin(), files.end());
    std::sort(dirs.begin(), dirs.end());
    if (has("alembic.ini") || has("pyproject.toml")) {
      DirConfig c = read_dir_config(dir, std::nullopt, std::nullopt, problems);
      if (c.ini || c.toml) configs.push_back(std::move(c));
    }
    for (const std::string& f : files) {
      if (is_migration_file_name(f) && looks_like_migration(dir / platform::utf8_path(f))) {
        bare_dirs.push_back(dir);
        break;
      }
    }
    for (const std::string& d : dirs) {
      if (!skipped_dir_name(d)) walk(dir / platform::utf8_path(d), false);
    }
  }
};

bool is_inside(const fs::path& path, const fs::path& dir) {
  auto [d, p] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
  return d == dir.end();
}

fs::path real_or_self(const fs::path& p) {
  std::error_code ec;
  fs::path r = fs::weakly_canonical(p, ec);
  return ec ? p : r;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The top of the bare tree `dir` belongs to: the nearest directory, from `dir` up to
// `root`, named `versions` or lying beside an env.py; `dir` itself when there is none.
fs::path bare_tree_top(const fs::path& dir, const fs::path& root) {
  for (fs::path d = dir;; d = d.parent_path()) {
    if (d.filename() == "versions" || is_file(d.parent_path() / "env.py")) return d;
    if (d == root || !is_inside(d, root) || d == d.parent_path()) return dir;
  }
}

// Bare directories that no environment reads but that lie below one's version location:
// recorded on that environment (Alembic does not load them either).
// Also folders inside a script location that none of its version locations covers (a
// folder left out of version_locations).
bool note_unread(Discovery& out, const fs::path& dir, const fs::path& real) {
  bool owned = false;
  for (const Environment& env : out.environments) {
    if (!env.script_location.empty() && is_inside(real, real_or_self(env.script_location)))
      owned = true;
    for (const fs::path& v : env.version_locations) {
      fs::path location = real_or_self(v);
      if (!is_inside(real, location)) continue;
      owned = true;
      if (real == location || env.recursive_version_locations) return true;  // read
    }
  }
  if (!owned) return false;
  for (Environment& env : out.environments) {
    bool mine = !env.script_location.empty() && is_inside(real, real_or_self(env.script_location));
    for (const fs::path& v : env.version_locations) mine = mine || is_inside(real, real_or_self(v));
    if (mine) env.unread_folders.push_back(dir);
  }
  return true;
}

// Drops bare dirs that belong to an environment (noting those it does not read), groups
// the rest into trees (one environment each), removes duplicates, sorts.
void finish(Discovery& out, const std::vector<fs::path>& bare_dirs, const fs::path& root) {
  std::map<fs::path, std::vector<fs::path>> trees;  // top -> bare dirs below it
  for (const fs::path& dir : bare_dirs) {
    if (note_unread(out, dir, real_or_self(dir))) continue;
    trees[bare_tree_top(dir, root)].push_back(dir);
  }
  for (const auto& [top, dirs] : trees) {
    Environment env;
    env.name = display_name(top, root);
    env.version_locations = {top};
    // Nested migration folders: read the tree as Alembic does with
    // recursive_version_locations = true (what projects laid out so configure in code).
    env.recursive_version_locations = dirs.size() > 1 || dirs.front() != top;
    if (top.filename() == "versions" && is_file(top.parent_path() / "script.py.mako")) {
      env.script_location = top.parent_path();
    }
    out.environments.push_back(std::move(env));
  }
  std::vector<Environment> unique;
  for (Environment& env : out.environments) {
    auto same = std::find_if(unique.begin(), unique.end(), [&](const Environment& u) {
      return u.name == env.name && u.script_location == env.script_location &&
             u.version_locations == env.version_locations;
    });
    if (same == unique.end()) {
      unique.push_back(std::move(env));
    } else if (env.config_path) {
      out.problems.push_back({*env.config_path, 0,
                              "describes the same environment as " +
                                  (same->config_path ? same->config_path->string() : same->name) +
                                  "; it is listed once",
                              false});
    }
  }
  std::vector<DiscoveryProblem> problems;  // a DEFAULT value can be reported per section
  for (DiscoveryProblem& p : out.problems) {
    if (std::none_of(problems.begin(), problems.end(), [&](const DiscoveryProblem& q) {
          return q.path == p.path && q.line == p.line && q.message == p.message;
        })) {
      problems.push_back(std::move(p));
    }
  }
  out.problems = std::move(problems);
  std::stable_sort(unique.begin(), unique.end(), [](const Environment& a, const Environment& b) {
    auto key = [](const Environment& e) { return std::tie(e.name, e.config_section); };
    if (key(a) != key(b)) return key(a) < key(b);
    return a.config_path.value_or(fs::path()) < b.config_path.value_or(fs::path());
  });
  out.environments = std::move(unique);
}

// Lists version directories as ScriptDirectory._load_revisions does: os.walk order
// (files of a directory sorted, then its subdirectories sorted, depth first), symbolic
// links to directories not followed, `__pycache__` files skipped, a real path once.
class MigrationLister {
 public:
  MigrationLister(const Environment& env, std::vector<DiscoveryProblem>& problems)
      : env_(env), problems_(problems) {}

  std::vector<fs::path> run() {
    for (const fs::path& location : env_.version_locations) {
      std::error_code ec;
      fs::file_status status = fs::status(location, ec);
      if (status.type() == fs::file_type::not_found) continue;  // Alembic skips it too
      if (ec) {
        problem(location, "cannot read version location: " + ec.message());
      } else if (!fs::is_directory(status)) {
        problem(location, "version location is not a directory");
      } else {
        walk(location, location);
      }
    }
    return std::move(files_);
  }

 private:
  void problem(const fs::path& path, std::string message) {
    problems_.push_back({path, 0, std::move(message), false});
  }

  void walk(const fs::path& dir, const fs::path& location) {
    std::error_code ec;
    fs::path real = fs::canonical(dir, ec);
    if (ec) return problem(dir, "cannot read directory: " + ec.message());
    if (auto [it, added] = walked_.emplace(real, location); !added) {
      return problem(dir,
                     "directory already listed through version location " + it->second.string() +
                         " (Alembic warns that its files are loaded twice); they are listed once");
    }
    // name, and whether the entry is a plain regular file (no link): the directory
    // listing's d_type says so without a system call per file.
    std::vector<std::pair<std::string, bool>> files;
    std::vector<std::pair<std::string, bool>> dirs;  // name, is a symbolic link
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      std::error_code type_ec;
      std::string name = it->path().filename().string();
      const bool link = it->is_symlink(type_ec);
      if (it->is_directory(type_ec)) {
        dirs.emplace_back(std::move(name), link);
      } else {
        // Also dangling links, as os.walk does.
        const bool plain = !link && it->is_regular_file(type_ec) && !type_ec;
        files.emplace_back(std::move(name), plain);
      }
    }
    if (ec) return problem(dir, "cannot read directory: " + ec.message());
    std::sort(files.begin(), files.end());
    std::sort(dirs.begin(), dirs.end());
    if (!dir.filename().string().ends_with("__pycache__")) {
      for (const auto& [name, plain] : files) {
        if (is_migration_file_name(name))
          add_file(dir / platform::utf8_path(name),
                   plain ? real / platform::utf8_path(name) : fs::path());
      }
    }
    if (!env_.recursive_version_locations) return;
    for (const auto& [name, is_link] : dirs) {
      if (!is_link) {
        walk(dir / platform::utf8_path(name), location);
        continue;
      }
      fs::path target = fs::canonical(dir / platform::utf8_path(name), ec);
      bool loop = !ec && is_inside(real, target);
      problem(dir / platform::utf8_path(name),
              std::string(loop ? "symbolic link loop: points to an ancestor directory; "
                               : "symbolic link to a directory: ") +
                  "not followed (Alembic's directory walk does not follow links, so files "
                  "under it are not loaded)");
    }
  }

  // `real` is the file's real path when the listing showed a plain regular file in a
  // directory whose real path is known; empty otherwise (links, unknown types), and then
  // the file is resolved and checked here. Reading it later reports what went wrong.
  void add_file(const fs::path& path, const fs::path& real_known) {
    const fs::path real = real_known.empty() ? real_or_self(path) : real_known;
    if (!seen_.insert(real.string()).second) {
      problem(path, "File " + real.string() +
                        " loaded twice! ignoring. Please ensure version_locations is unique.");
      return;
    }
    if (!real_known.empty()) {
      files_.push_back(path);
      return;
    }
    if (std::optional<std::string> why = platform::regular_file_problem(path))
      return problem(path, *why);
    files_.push_back(path);
  }

  const Environment& env_;
  std::vector<DiscoveryProblem>& problems_;
  std::vector<fs::path> files_;
  std::unordered_set<std::string> seen_;  ///< real paths of the files listed
  std::map<fs::path, fs::path> walked_;   // real dir -> version location it was listed for
};

}  // namespace

Discovery discover_environments(const fs::path& path) {
  Discovery out;
  std::error_code ec;
  fs::path target = absolute_normal(path);
  fs::file_status status = fs::status(target, ec);
  if (!fs::exists(status)) {
    std::string reason = ec && ec != std::errc::no_such_file_or_directory
                             ? ec.message()
                             : "No such file or directory";
    out.problems.push_back({path, 0, reason + ": " + path.string(), true});
    return out;
  }
  if (!fs::is_directory(status) && is_migration_file_name(target.filename().string())) {
    out.problems.push_back(
        {path, 0, "not an Alembic configuration: give alembic.ini, pyproject.toml or a directory",
         true});
    return out;
  }
  if (!fs::is_directory(status)) {
    fs::path dir = target.parent_path();
    bool is_toml = target.filename() == "pyproject.toml";
    DirConfig c = is_toml ? read_dir_config(dir, std::nullopt, target, out.problems)
                          : read_dir_config(dir, target, std::nullopt, out.problems);
    if (is_toml && !c.ini && (!c.toml || !c.toml->script_location) && c.toml && c.toml->parsed) {
      out.problems.push_back(
          {target, 0, "pyproject.toml has no [tool.alembic] script_location", true});
    }
    if (c.ini || c.toml) build_environments(c, dir, out);
    // Given a config file, look below its directories only for folders nothing reads.
    std::vector<DiscoveryProblem> scratch;
    Walker walker{dir, {}, {}, {}, scratch};
    for (const Environment& env : out.environments) {
      if (!env.script_location.empty()) walker.walk(env.script_location, true);
      for (const fs::path& v : env.version_locations) walker.walk(v, true);
    }
    for (const fs::path& bare : walker.bare_dirs) note_unread(out, bare, real_or_self(bare));
    finish(out, {}, dir);
    return out;
  }
  Walker walker{target, {}, {}, {}, out.problems};
  walker.walk(target, true);
  for (const DirConfig& c : walker.configs) build_environments(c, target, out);
  finish(out, walker.bare_dirs, target);
  return out;
}

std::vector<fs::path> list_migration_files(const Environment& env,
                                           std::vector<DiscoveryProblem>& problems) {
  try {
    return MigrationLister(env, problems).run();
  } catch (const std::exception& e) {  // e.g. std::bad_alloc; the contract is never to throw
    problems.push_back({env.script_location, 0,
                        std::string("listing migration files failed: ") + e.what(), false});
    return {};
  }
}

bool environment_answers_to(const Environment& env, std::string_view name) {
  if (name.empty()) return false;
  if (env.name == name) return true;
  if (!env.config_section.empty() && env.config_section != "tool.alembic" &&
      env.config_section == name)
    return true;
  // The path part of the name (before any "[section]"), matched by whole trailing components.
  std::string_view path = std::string_view(env.name).substr(0, env.name.find('['));
  return path.size() > name.size() && path.ends_with(name) &&
         path[path.size() - name.size() - 1] == '/';
}

std::vector<const Environment*> environments_named(const std::vector<const Environment*>& envs,
                                                   std::string_view name) {
  for (const Environment* env : envs)
    if (env->name == name) return {env};
  std::vector<const Environment*> out;
  for (const Environment* env : envs)
    if (environment_answers_to(*env, name)) out.push_back(env);
  return out;
}

bool is_migration_file_name(std::string_view name) {
  // re.match(r"(?!\.\#|__init__)(.*\.py)$"): `.` stops at a newline and `$` also
  // matches just before a final newline.
  if (!name.empty() && name.back() == '\n') name.remove_suffix(1);
  if (name.find('\n') != std::string_view::npos) return false;
  return name.ends_with(".py") && !name.starts_with(".#") && !name.starts_with("__init__");
}

std::string read_file_bytes(const fs::path& path) {
  return platform::read_regular_file(path);
}

}  // namespace alembic
