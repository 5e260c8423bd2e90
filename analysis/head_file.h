// The head file: `head-file = "migrations/HEAD"` in [tool.alembic-lsp] keeps the id of
// each environment's head in a small committed file. Two branches that each add a
// migration then both change the same line, so git reports a conflict when they meet,
// before anything is deployed (the trick of alembic-linear-migrations). This file reads
// and writes that file and compares it with the graph: code head-file-mismatch.
//
// The file (comment lines start with '#'):
//   one environment:    `<head id>`
//   several (one file): `<environment key>: <head id>` per environment, in key order
// Several heads kept on purpose are written on one line, separated by spaces, sorted.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/graph.h"
#include "analysis/model.h"
#include "analysis/project.h"
#include "analysis/settings.h"

namespace alembic {

/// One environment recorded in a head file, and its graph now.
struct HeadFileSubject {
  const Environment* environment = nullptr;
  const GraphAnalysis* graph = nullptr;
};

/// One head file and the environments it records.
struct HeadFile {
  std::filesystem::path path;  ///< absolute
  std::string name;            ///< how findings name it
  std::vector<HeadFileSubject> subjects;
  std::vector<std::string> keys;  ///< parallel to subjects: the key of each line
  bool keyed_lines = false;       ///< `key: id` lines (a file for several environments)
  std::string settings_name;      ///< the settings file, as findings name it
  uint32_t setting_line = 0;      ///< 0-based line of the head-file key there
};

/// The key an environment's line carries: its script location relative to `base` (the
/// settings file's directory), with " [section]" for an ini section other than alembic.
std::string head_file_key(const Environment& env, const std::filesystem::path& base);

/// The head files `settings` asks for, over `subjects` (every environment reading these
/// settings). config-warning findings (an entry naming no environment, or several) go to
/// `problems`. Empty without a head-file setting or a settings file.
std::vector<HeadFile> head_files(const Settings& settings,
                                 const std::vector<HeadFileSubject>& subjects,
                                 const PathNamer& name_path, std::vector<Finding>* problems);

/// One recorded line: `key` (empty on a bare line) and the ids it names.
struct HeadFileEntry {
  std::string key;
  std::vector<std::string> ids;
  uint32_t line = 0;            ///< 0-based
  uint32_t start = 0, end = 0;  ///< bytes of the line, without its line break
};

/// The lines of a head file's text that are neither comments nor blank, outside any
/// conflict block (read with conflict_block_at for those).
std::vector<HeadFileEntry> parse_head_file(std::string_view text);

/// The heads of a graph as a head file records them: each id once, sorted.
std::vector<std::string> recorded_heads(const GraphAnalysis& graph);

/// The whole text of `file` when subject i has heads `heads[i]` (parallel to
/// file.subjects): the comment, then one line per environment.
std::string render_head_file(const HeadFile& file,
                             const std::vector<std::vector<std::string>>& heads);

/// The text `file` should hold now (every subject's current heads).
std::string expected_head_file(const HeadFile& file);

/// The text of the head file at `path`; nullopt when it does not exist (`error` empty)
/// or cannot be read (`error` says why).
std::optional<std::string> read_head_file(const std::filesystem::path& path, std::string* error);

/// head-file-mismatch findings for `file`, whose current text is `text` (nullopt: the
/// file does not exist or cannot be read; `read_error` then says why, empty when missing).
/// Conflict markers in it are reported with what they mean and how to resolve them.
std::vector<Finding> head_file_findings(const HeadFile& file,
                                        const std::optional<std::string>& text,
                                        const std::string& read_error = {});

/// The heads an environment has once a new migration `new_id` on `parents` is added
/// (a new revision or a merge): the current heads without `parents`, plus `new_id`.
std::vector<std::string> heads_after_new_revision(const GraphAnalysis& graph,
                                                  const std::string& new_id,
                                                  const std::vector<std::string>& parents);

/// The text of `file` once `environment` has heads `heads` (the others keep theirs).
std::string head_file_text_with(const HeadFile& file, const Environment* environment,
                                const std::vector<std::string>& heads);

}  // namespace alembic
