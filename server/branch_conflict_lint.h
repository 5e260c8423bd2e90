// branch-conflict (analysis/branch_conflicts.h) in the editor, on every environment with
// several heads, unless its setting lint = "off".
//
// Not on an edit's path: at 100,000 migrations a walk from every head costs milliseconds,
// more than a whole edit is allowed (docs/performance.md), and the branches' files must be
// read. So the findings are computed when the editor goes quiet (refresh(), run by
// Endpoint::on_idle), in steps that stop as soon as a message waits; every change in
// between shows the last ones computed whose two heads are still heads.
//
// What refresh() keeps, so that a quiet moment after a keystroke costs little: each
// environment's branches, walked again only when a graph changed (Workspace::generation),
// and each branch file's table touches by what they were read from (the open text, else
// the file's size and time, asked again only after the disk changed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analysis/branch_conflicts.h"
#include "analysis/model.h"
#include "server/workspace.h"

namespace alembic::server {

class BranchConflictLint {
 public:
  /// On every change's path: appends the findings of `env` from the last refresh() whose
  /// heads are still heads; nothing with lint = "off" or fewer than two heads.
  void add(const EnvironmentState& env, std::vector<Finding>& out) const;

  /// Computes the findings again where something changed. `interrupted` is asked during
  /// the graph walk (every few thousand revisions) and before each file read: when it says
  /// yes, refresh() stops (the files it read are kept for the next one, environments not
  /// finished keep their last findings). True when the findings of
  /// some environment changed (to be shown again).
  bool refresh(const Workspace& workspace, const std::function<bool()>& interrupted);

  /// Files read (and operations parsed) so far, for tests that a refresh after an
  /// unrelated edit reads nothing.
  uint64_t files_read() const { return files_read_; }
  /// Graph walks (branch_pairs) so far, for the same tests.
  uint64_t walks() const { return walks_; }

 private:
  struct Branches {
    uint64_t generation = UINT64_MAX;  ///< the workspace's when `pairs` was walked
    std::vector<BranchPair> pairs;
    std::vector<Finding> findings;  ///< of the last refresh that finished this environment
  };
  std::map<std::string, Branches> envs_;  ///< by environment (environment_key)

  struct Touches {
    size_t key = 0;                ///< of the open text, or of the closed file's size and time
    uint64_t disk_generation = 0;  ///< when a closed file's key was last checked
    bool closed = false;           ///< key is of the file on disk
    TableTouches touches;
  };
  std::map<std::string, Touches> files_;  ///< by Script::path
  /// Kept beyond those the branches need: a fork made and undone (two branches of at
  /// most kMaxBranchRevisions each) reads nothing again; more would be memory the soak
  /// sees grow over a session (2,000 let it grow 7 MB).
  static constexpr size_t kKeptFiles = 2 * kMaxBranchRevisions;
  /// The touches of `path`, read again if they may have changed; nullptr when refresh()
  /// must stop first (`interrupted`).
  const TableTouches* touches(const Workspace& workspace, const std::string& path,
                              const std::function<bool()>& interrupted);

  uint64_t files_read_ = 0;
  uint64_t walks_ = 0;
};

}  // namespace alembic::server
