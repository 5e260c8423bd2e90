// The operation findings (analysis/operation_findings.h) in the editor: on the open
// migrations (setting lint = "open", the default) or on every migration (lint = "all"),
// read from the editor's text, cached per file by what they were read from.
//
// Cost per change: with "open", the open documents only (never a pass over every
// migration: a keystroke at 100,000 migrations stays under a millisecond); with "all",
// one cache lookup per migration, and the disk is asked again only after the workspace
// heard of a change there (Workspace::disk_generation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/model.h"
#include "analysis/operation_findings.h"
#include "server/workspace.h"

namespace alembic::server {

class OperationLint {
 public:
  /// Appends the operation findings of `env`'s migrations that its settings ask for.
  void add(const Workspace& workspace, const EnvironmentState& env, std::vector<Finding>& out);
  /// How many migrations the last add() looked at (the open ones with lint = "open"):
  /// what keeps an edit's cost to the edit is tested on it (server_core_test).
  size_t looked_at() const { return looked_at_; }

 private:
  struct Entry {
    size_t key = 0;  ///< of the text (or the closed file's size and time) and the dialect
    size_t dialect_key = 0;
    uint64_t disk_generation = 0;  ///< when a closed file's key was last checked
    bool checked = false;          ///< disk_generation means something
    std::vector<Finding> findings;
  };
  /// The findings of the script at `path` (a key of the workspace), `open` its editor text
  /// or nullptr; false when the closed file cannot be read.
  bool add_one(const Workspace& workspace, const std::string& path, const std::string* open,
               const LintOptions& options, size_t dialect_key, std::vector<Finding>& out);

  std::map<std::string, Entry> cache_;  ///< by Script::path
  size_t looked_at_ = 0;
};

}  // namespace alembic::server
