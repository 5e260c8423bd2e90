#include "server/workspace.h"

#include <algorithm>
#include <system_error>

#include "analysis/constants.h"
#include "analysis/project.h"
#include "platform/files.h"
#include "platform/path_text.h"
#include "platform/system.h"
#include "server/uri.h"

namespace alembic::server {

std::string normal_path(const fs::path& path) {
  std::error_code ec;
  fs::path abs = path.is_absolute() ? path : fs::absolute(path, ec);
  // Windows compares file names without case: every spelling of a file (the editor's URI,
  // the command line, a directory listing) becomes the one the file system stores, so
  // documents, scripts and watched files meet under one key. Nothing to do elsewhere.
  if constexpr (platform::kWindowsPaths)
    return spelled_as_on_disk(abs.lexically_normal().string(), [](const std::string& p) {
      return platform::name_on_disk(platform::utf8_path(p));
    });
  return abs.lexically_normal().string();
}

std::string normal_path(const std::string& path) {
  return normal_path(platform::utf8_path(path));
}

long EnvironmentState::script_index(const std::string& path) const {
  // The map caches `scripts`: a hit is checked against the vector, a miss (or a wrong
  // hit) rebuilds it from the vector and looks again, so it is never wrong, only slow
  // right after the vector changed.
  auto lookup = [&]() -> long {
    auto it = script_by_path_.find(path);
    if (it == script_by_path_.end() || it->second >= scripts.size() ||
        scripts[it->second].path != path)
      return -1;
    return static_cast<long>(it->second);
  };
  if (long i = lookup(); i >= 0) return i;
  script_by_path_.clear();
  script_by_path_.reserve(scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) script_by_path_.emplace(scripts[i].path, i);
  return lookup();
}

const Script* EnvironmentState::script_of(const std::string& id) const {
  long i = graph.find(id);
  if (i < 0) return nullptr;
  return &scripts[graph.revisions[static_cast<size_t>(i)].script];
}

Workspace::Workspace() = default;
Workspace::~Workspace() = default;

void Workspace::set_roots(std::vector<fs::path> roots) {
  roots_.clear();
  for (auto& r : roots) roots_.push_back(platform::utf8_path(normal_path(r)));
}

void Workspace::add_root(const fs::path& root) {
  const fs::path r = platform::utf8_path(normal_path(root));
  if (std::find(roots_.begin(), roots_.end(), r) != roots_.end()) return;
  roots_.push_back(r);
  reindex();
}

void Workspace::remove_root(const fs::path& root) {
  const fs::path r = platform::utf8_path(normal_path(root));
  roots_.erase(std::remove(roots_.begin(), roots_.end(), r), roots_.end());
  reindex();
}

void Workspace::reindex(const IndexProgress& progress) {
  install(load(roots_, progress));
}

std::vector<LoadedEnvironment> Workspace::load(const std::vector<fs::path>& roots,
                                               const IndexProgress& progress) {
  return load_roots(
      roots, [](const fs::path& p) { return normal_path(p); }, progress);
}

void Workspace::install(std::vector<LoadedEnvironment> loaded) {
  ++disk_generation_;
  envs_.clear();
  // Loaded with default options; environments with settings are analysed again below.
  std::set<EnvironmentState*> touched;
  for (auto& l : loaded) {
    auto state = std::make_unique<EnvironmentState>();
    state->environment = std::move(l.environment);
    state->scripts = std::move(l.scripts);
    state->graph = std::move(l.graph);
    state->problems = std::move(l.problems);
    for (auto& [script, modules] : l.constants_read)
      for (const fs::path& m : modules) state->constants_read[script].push_back(normal_path(m));
    envs_.push_back(std::move(state));
  }
  // Settings once every environment is there: an expected-heads key may name any of them.
  for (auto& env : envs_) load_settings_of(*env);
  for (auto& env : envs_) {
    const AnalysisOptions options = options_of(*env);
    if (options.expected_heads != -1 || options.allow_multiple_heads) touched.insert(env.get());
  }
  // Unsaved editor text wins over what was just read from disk.
  for (const auto& [path, doc] : documents_) {
    if (EnvironmentState* env = environment_of(path)) {
      long i = env->script_index(path);
      ParsedMigration parsed = with_constants(*env, path, doc.text(), doc.parsed());
      if (i >= 0) {
        env->scripts[static_cast<size_t>(i)].set_parsed(std::move(parsed));
        touched.insert(env);
      } else {
        insert_script(*env, path, std::move(parsed));
      }
    }
  }
  for (EnvironmentState* env : touched) reanalyze(*env);
  changes_.everything();
  ++generation_;
}

bool Workspace::belongs_to(const EnvironmentState& env, const std::string& path) const {
  const fs::path given = platform::utf8_path(path);
  if (!is_migration_file_name(given.filename().string())) return false;
  const fs::path p = platform::utf8_path(normal_path(given));
  for (const auto& loc : env.environment.version_locations) {
    fs::path l = platform::utf8_path(normal_path(loc));
    if (p.parent_path() == l) return true;
    if (!env.environment.recursive_version_locations) continue;
    fs::path rel = p.lexically_relative(l);
    if (rel.empty() || *rel.begin() == "..") continue;
    bool in_cache = false;
    for (const auto& part : rel) in_cache |= part == "__pycache__";
    if (!in_cache) return true;
  }
  return false;
}

EnvironmentState* Workspace::environment_of(const std::string& path) const {
  for (const auto& env : envs_)
    if (belongs_to(*env, path)) return env.get();
  return nullptr;
}

EnvironmentState* Workspace::environment_near(const std::string& path) const {
  if (EnvironmentState* env = environment_of(path)) return env;
  const fs::path p = platform::utf8_path(normal_path(path));
  for (const auto& env : envs_) {
    if (env->environment.config_path && normal_path(*env->environment.config_path) == p.string())
      return env.get();
    fs::path rel = p.lexically_relative(env->environment.script_location);
    if (!env->environment.script_location.empty() && !rel.empty() && *rel.begin() != "..")
      return env.get();
  }
  return nullptr;
}

void Workspace::reanalyze(EnvironmentState& env, size_t changed) {
  analyze_into(env.graph, env.scripts, options_of(env), changed);
  if (env.graph.memo.last_was_update) {
    changes_.revisions(&env, env.graph.memo.touched);
  } else {
    changes_.everything();
  }
  ++generation_;
}

AnalysisOptions Workspace::options_of(const EnvironmentState& env) const {
  std::vector<const Environment*> sharing{&env.environment};
  if (!env.settings.expected_heads_by_environment.empty())
    for (const auto& other : envs_)
      if (other.get() != &env && other->settings.file_name == env.settings.file_name)
        sharing.push_back(&other->environment);
  return analysis_options(env.settings, env.environment, sharing);
}

bool Workspace::load_settings_of(EnvironmentState& env) {
  const Environment& e = env.environment;
  const fs::path anchor = settings_anchor(e);
  const AnalysisOptions before = options_of(env);
  Settings project;
  if (!anchor.empty())
    project = load_settings(anchor, [](const fs::path& p) { return normal_path(p); });
  env.settings = merge_settings(std::move(project), editor_settings_);
  const AnalysisOptions after = options_of(env);
  return after.expected_heads != before.expected_heads ||
         after.allow_multiple_heads != before.allow_multiple_heads;
}

void Workspace::set_editor_settings(Settings settings) {
  editor_settings_ = std::move(settings);
  for (auto& env : envs_) {
    load_settings_of(*env);
    reanalyze(*env);
  }
  ++generation_;
}

void Workspace::update_script(EnvironmentState& env, const std::string& path,
                              ParsedMigration parsed) {
  long i = env.script_index(path);
  if (i < 0) {
    insert_script(env, path, std::move(parsed));
    return;
  }
  Script& current = env.scripts[static_cast<size_t>(i)];
  if (current.parsed == parsed) return;  // same values: same graph, same findings
  current.set_parsed(std::move(parsed));
  reanalyze(env, static_cast<size_t>(i));  // only this script's values changed
}

void Workspace::insert_script(EnvironmentState& env, const std::string& path,
                              ParsedMigration parsed) {
  // Keep Alembic's load order: version location in configured order, then name.
  auto order = [&](const std::string& p) {
    const fs::path fp = platform::utf8_path(p);
    const auto& locs = env.environment.version_locations;
    for (size_t k = 0; k < locs.size(); ++k) {
      fs::path rel = fp.lexically_relative(platform::utf8_path(normal_path(locs[k])));
      if (!rel.empty() && *rel.begin() != "..") return std::make_pair(k, rel.string());
    }
    return std::make_pair(locs.size(), p);
  };
  auto key = order(path);
  auto it = std::find_if(env.scripts.begin(), env.scripts.end(),
                         [&](const Script& s) { return key < order(s.path); });
  env.scripts.insert(it, Script{path, std::move(parsed)});
  reanalyze(env);
}

bool Workspace::is_config_file(const std::string& path) {
  const std::string name = platform::utf8_path(path).filename().string();
  return name == "alembic.ini" || name == "pyproject.toml";
}

void Workspace::open_document(const std::string& path, std::string text) {
  std::string key = normal_path(path);
  documents_.erase(key);
  auto [it, _] = documents_.emplace(key, MigrationDocument(std::move(text)));
  if (EnvironmentState* env = environment_of(key)) {
    update_script(*env, key, with_constants(*env, key, it->second.text(), it->second.parsed()));
  } else {
    constants_changed(key);
  }
}

void Workspace::edit_document(const std::string& path, uint32_t start, uint32_t old_end,
                              std::string_view new_text) {
  std::string key = normal_path(path);
  auto it = documents_.find(key);
  if (it == documents_.end()) return;
  it->second.edit(start, old_end, new_text);
  if (EnvironmentState* env = environment_of(key)) {
    update_script(*env, key, with_constants(*env, key, it->second.text(), it->second.parsed()));
  } else {
    constants_changed(key);
  }
}

void Workspace::replace_document(const std::string& path, std::string text) {
  std::string key = normal_path(path);
  auto it = documents_.find(key);
  if (it == documents_.end()) return open_document(key, std::move(text));
  it->second.set_text(std::move(text));
  if (EnvironmentState* env = environment_of(key)) {
    update_script(*env, key, with_constants(*env, key, it->second.text(), it->second.parsed()));
  } else {
    constants_changed(key);
  }
}

void Workspace::close_document(const std::string& path) {
  std::string key = normal_path(path);
  if (documents_.erase(key) == 0) return;
  ++disk_generation_;
  // The disk version comes back (or the file goes, if it was never saved).
  if (EnvironmentState* env = environment_of(key)) {
    std::error_code ec;
    if (fs::exists(platform::utf8_path(key), ec)) {
      file_changed_on_disk(key);
    } else if (long i = env->script_index(key); i >= 0) {
      env->scripts.erase(env->scripts.begin() + i);
      reanalyze(*env);
    }
  } else {
    constants_changed(key);  // the disk's text of a constants module comes back
  }
}

bool Workspace::is_open(const std::string& path) const {
  return documents_.count(normal_path(path)) > 0;
}

const std::string* Workspace::document_text(const std::string& path) const {
  return open_text(normal_path(path));
}

const std::string* Workspace::open_text(const std::string& normal) const {
  auto it = documents_.find(normal);
  return it == documents_.end() ? nullptr : &it->second.text();
}

size_t Workspace::disk_stamp(const std::string& path) {
  std::error_code ec;
  const fs::path file = platform::utf8_path(path);
  const auto size = fs::file_size(file, ec);
  if (ec) return 0;
  const auto time = fs::last_write_time(file, ec);
  if (ec) return 0;
  const size_t stamp =
      std::hash<uintmax_t>{}(size)*7 +
      std::hash<long long>{}(static_cast<long long>(time.time_since_epoch().count()));
  return stamp == 0 ? 1 : stamp;
}

std::string Workspace::text_of(const std::string& path) const {
  if (const std::string* t = document_text(path)) return *t;
  try {
    return read_file_bytes(path);
  } catch (const std::exception&) {
    return {};
  }
}

void Workspace::file_changed_on_disk(const std::string& path) {
  ++disk_generation_;
  std::string key = normal_path(path);
  if (is_config_file(key)) {
    reindex();
    return;
  }
  if (is_alembic_version_file(platform::utf8_path(key).filename().string()))
    return version_file_changed();
  if (documents_.count(key)) return;  // the editor's text wins while open
  EnvironmentState* env = environment_of(key);
  if (!env) {
    constants_changed(key);
    return;
  }
  std::string text;
  try {
    text = read_file_bytes(key);
  } catch (const std::exception& e) {
    // Gone again or unreadable: report it like the cold index does.
    file_deleted_on_disk(key);
    env->problems.push_back({platform::utf8_path(key), 0, e.what(), false});
    changes_.everything();
    return;
  }
  update_script(*env, key, with_constants(*env, key, text, parse_migration(text)));
}

ParsedMigration Workspace::with_constants(EnvironmentState& env, const std::string& path,
                                          std::string_view text, ParsedMigration parsed) const {
  if (!has_named_values(parsed)) {
    env.constants_read.erase(path);
    return parsed;
  }
  ConstantResolver resolver([this](const fs::path& p) -> std::optional<std::string> {
    if (const std::string* open = document_text(p.string())) return *open;
    return read_module_file(p);
  });
  std::vector<fs::path> read;
  resolver.resolve(platform::utf8_path(path), text, parsed, &read);
  std::vector<std::string>& mine = env.constants_read[path];
  mine.clear();
  for (const fs::path& m : read) mine.push_back(normal_path(m));
  return parsed;
}

bool Workspace::constants_changed(const std::string& path) {
  bool any = false;
  for (auto& env : envs_) {
    std::vector<std::string> users;
    for (const auto& [script, modules] : env->constants_read)
      if (std::find(modules.begin(), modules.end(), path) != modules.end()) users.push_back(script);
    for (const std::string& script : users) {
      if (env->script_index(script) < 0) continue;
      const std::string text = text_of(script);
      ParsedMigration parsed = parse_migration(text);
      update_script(*env, script, with_constants(*env, script, text, std::move(parsed)));
      any = true;
    }
  }
  return any;
}

void Workspace::version_file_changed() {
  // The version changes findings after the analysis (apply_settings), not the graph.
  for (auto& env : envs_) load_settings_of(*env);
  changes_.everything();
  ++generation_;
}

void Workspace::file_deleted_on_disk(const std::string& path) {
  ++disk_generation_;
  std::string key = normal_path(path);
  if (is_config_file(key)) {
    reindex();
    return;
  }
  if (is_alembic_version_file(platform::utf8_path(key).filename().string()))
    return version_file_changed();
  constants_changed(key);
  for (auto& env : envs_) {
    // A deleted directory takes every script below it.
    auto gone = [&](const Script& s) {
      if (documents_.count(s.path)) return false;
      fs::path rel = platform::utf8_path(s.path).lexically_relative(platform::utf8_path(key));
      return s.path == key || (!rel.empty() && *rel.begin() != ".." && rel.string() != ".");
    };
    size_t before = env->scripts.size();
    env->scripts.erase(std::remove_if(env->scripts.begin(), env->scripts.end(), gone),
                       env->scripts.end());
    auto stale = [&](const DiscoveryProblem& p) { return normal_path(p.path) == key; };
    const size_t problems_before = env->problems.size();
    env->problems.erase(std::remove_if(env->problems.begin(), env->problems.end(), stale),
                        env->problems.end());
    if (env->problems.size() != problems_before) changes_.everything();
    if (env->scripts.size() != before) reanalyze(*env);
  }
}

std::set<std::string> Workspace::diagnosable_paths() const {
  std::set<std::string> out;
  for (const auto& env : envs_) {
    for (const auto& s : env->scripts) out.insert(s.path);
    if (env->environment.config_path) out.insert(normal_path(*env->environment.config_path));
    for (const auto& p : env->problems) out.insert(normal_path(p.path));
  }
  return out;
}

}  // namespace alembic::server
