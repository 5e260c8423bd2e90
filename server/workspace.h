// The server's live picture of the workspace: every Alembic environment under the
// roots, their scripts and graphs, and the documents open in the editor. Plain C++:
// no JSON here. Only the loop thread touches it.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/graph.h"
#include "analysis/parser.h"
#include "analysis/project.h"
#include "analysis/settings.h"
#include "server/change_log.h"

namespace alembic::server {

namespace fs = std::filesystem;

/// One environment as the server holds it.
struct EnvironmentState {
  Environment environment;
  std::vector<Script> scripts;             ///< load order; Script::path is the absolute path
  std::vector<DiscoveryProblem> problems;  ///< listing / reading problems
  /// Kept by analyze_into, with each script's own findings kept in its Script: an edit
  /// to one file recomputes only that file's.
  GraphAnalysis graph;
  /// [tool.alembic-lsp] of the nearest pyproject.toml, over the editor's settings.
  Settings settings;
  /// Script path -> the project modules (normal paths) its values name constants of
  /// (analysis/constants.h); a change to one of them re-reads the script.
  std::map<std::string, std::vector<std::string>> constants_read;

  /// Index of the script at this absolute path, or -1. A hash lookup, checked against
  /// `scripts` (rebuilt when that vector changed).
  long script_index(const std::string& path) const;
  /// The script that defines `id` (the last loaded, as Alembic), or nullptr.
  const Script* script_of(const std::string& id) const;

 private:
  mutable std::unordered_map<std::string, size_t> script_by_path_;
};

/// Called with (done, total) while indexing.
using IndexProgress = std::function<void(size_t done, size_t total)>;

class Workspace {
 public:
  Workspace();
  ~Workspace();

  /// Replaces the roots (call reindex, or load + install, afterwards).
  void set_roots(std::vector<fs::path> roots);
  void add_root(const fs::path& root);
  void remove_root(const fs::path& root);
  const std::vector<fs::path>& roots() const { return roots_; }

  /// Discovers and loads every environment again (config changes, new roots).
  void reindex(const IndexProgress& progress = {});
  /// The slow half of reindex, safe on any thread: discover and load under `roots`.
  static std::vector<LoadedEnvironment> load(const std::vector<fs::path>& roots,
                                             const IndexProgress& progress = {});
  /// The quick half, on the loop thread: take loaded environments, re-apply open documents.
  void install(std::vector<LoadedEnvironment> loaded);

  // Editor documents: their text wins over the disk while open.
  void open_document(const std::string& path, std::string text);
  /// Replaces bytes [start, old_end) of an open document; re-parses incrementally.
  void edit_document(const std::string& path, uint32_t start, uint32_t old_end,
                     std::string_view new_text);
  void replace_document(const std::string& path, std::string text);
  void close_document(const std::string& path);
  bool is_open(const std::string& path) const;
  const std::string* document_text(const std::string& path) const;
  /// The open document whose key (normal_path) is `normal`, without normalising again:
  /// for loops over scripts, whose paths are keys already.
  const std::string* open_text(const std::string& normal) const;
  /// The open documents, by key (normal_path), sorted.
  const std::map<std::string, MigrationDocument>& documents() const { return documents_; }
  /// Bumped whenever the disk may say something new about a closed file: a file changed
  /// or deleted outside the editor, a document closed (its disk text comes back), a
  /// reindex. Lets a cache of closed files skip asking the disk after an editor keystroke.
  uint64_t disk_generation() const { return disk_generation_; }
  /// A number that changes when the file at `path` (a key) changes on disk: of its size
  /// and modification time; 0 when it cannot be seen. For caches of what a closed file
  /// says, asked again only when disk_generation() moved.
  static size_t disk_stamp(const std::string& path);

  /// A file was created or changed on disk (outside the editor).
  void file_changed_on_disk(const std::string& path);
  /// A file was deleted on disk.
  void file_deleted_on_disk(const std::string& path);

  /// The current text of a file: the open document, else the disk (empty if unreadable).
  std::string text_of(const std::string& path) const;

  const std::vector<std::unique_ptr<EnvironmentState>>& environments() const { return envs_; }
  /// The environment whose version locations hold this file, or nullptr.
  EnvironmentState* environment_of(const std::string& path) const;
  /// The environment owning a script_location or config path, for files such as env.py.
  EnvironmentState* environment_near(const std::string& path) const;

  /// Every path that may carry diagnostics now (scripts and config files).
  std::set<std::string> diagnosable_paths() const;

  /// The editor's settings (initializationOptions, didChangeConfiguration), under each
  /// project's pyproject.toml. Re-reads every environment's settings and re-analyses.
  void set_editor_settings(Settings settings);
  const Settings& editor_settings() const { return editor_settings_; }

  /// Bumped every time any graph is rebuilt.
  uint64_t generation() const { return generation_; }
  /// Which revisions each analysis changed, for features that keep derived state.
  const ChangeLog& changes() const { return changes_; }

 private:
  /// `changed`: the index of the only script whose parsed values changed since the last
  /// analysis of `env`, if that is all that happened (see analyze_into).
  void reanalyze(EnvironmentState& env, size_t changed = kAnyScript);
  /// A lock or requirements file changed: every environment reads its Alembic version again.
  void version_file_changed();
  /// Reads the environment's settings; true when its analysis options changed.
  bool load_settings_of(EnvironmentState& env);
  /// The analysis options of `env` after its settings (expected-heads keys name it among
  /// the environments that read the same settings file).
  AnalysisOptions options_of(const EnvironmentState& env) const;
  void update_script(EnvironmentState& env, const std::string& path, ParsedMigration parsed);
  /// `parsed` (of `text`, the script at `path`) with its constants resolved from the
  /// project's modules, open documents' text first; records what was read.
  ParsedMigration with_constants(EnvironmentState& env, const std::string& path,
                                 std::string_view text, ParsedMigration parsed) const;
  /// A file that is no migration changed (editor or disk): every script whose values
  /// were read from it is read again. True when there was one.
  bool constants_changed(const std::string& path);
  void insert_script(EnvironmentState& env, const std::string& path, ParsedMigration parsed);
  static bool is_config_file(const std::string& path);
  bool belongs_to(const EnvironmentState& env, const std::string& path) const;

  std::vector<fs::path> roots_;
  std::vector<std::unique_ptr<EnvironmentState>> envs_;
  std::map<std::string, MigrationDocument> documents_;  ///< by absolute path
  uint64_t generation_ = 0;
  uint64_t disk_generation_ = 0;
  ChangeLog changes_;
  Settings editor_settings_;
};

/// Absolute, lexically normal form of a path; the key used everywhere in the server. On
/// Windows spelled as the file system stores it (spelled_as_on_disk): one key per file.
std::string normal_path(const fs::path& path);
/// The same of UTF-8 text (platform::utf8_path): a path as the server keeps it.
std::string normal_path(const std::string& path);
inline std::string normal_path(const char* path) {
  return normal_path(std::string(path));
}

}  // namespace alembic::server
