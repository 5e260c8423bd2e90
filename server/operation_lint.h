// The operation findings (analysis/operation_findings.h) in the editor: on the open
// migrations (setting lint = "open", the default) or on every migration (lint = "all"),
// read from the editor's text, cached per file by what they were read from; and
// branch-conflict (analysis/branch_conflicts.h) when an environment has several heads,
// read from the migrations on the branches since their common ancestor only, and again
// only when the heads, the branches or those files change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/model.h"
#include "server/workspace.h"

namespace alembic::server {

class OperationLint {
 public:
  /// Appends the operation findings of `env`'s migrations that its settings ask for, and
  /// its branch-conflict findings (unless lint = "off").
  void add(const Workspace& workspace, const EnvironmentState& env, std::vector<Finding>& out);

  /// How many times branch-conflict findings were computed (files read) since the start:
  /// for tests that an unrelated edit does not compute them again.
  uint64_t branch_conflict_computations() const { return conflict_runs_; }

 private:
  void add_conflicts(const Workspace& workspace, const EnvironmentState& env,
                     std::vector<Finding>& out);

  struct Entry {
    size_t key = 0;  ///< of the text (or the closed file's size and time) and the dialect
    std::vector<Finding> findings;
  };
  std::map<std::string, Entry> cache_;  ///< by Script::path

  struct Conflicts {
    uint64_t generation = UINT64_MAX;  ///< the workspace's when `scripts` was walked
    std::vector<size_t> scripts;       ///< branch_conflict_scripts at that generation
    size_t key = 0;  ///< of the heads, and the paths and contents of `scripts`' files
    std::vector<Finding> findings;
  };
  std::map<std::string, Conflicts> conflicts_;  ///< by environment
  uint64_t conflict_runs_ = 0;
};

}  // namespace alembic::server
