// The operation findings (analysis/operation_findings.h) in the editor: on the open
// migrations (setting lint = "open", the default) or on every migration (lint = "all"),
// read from the editor's text, cached per file by what they were read from.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "analysis/model.h"
#include "server/workspace.h"

namespace alembic::server {

class OperationLint {
 public:
  /// Appends the operation findings of `env`'s migrations that its settings ask for.
  void add(const Workspace& workspace, const EnvironmentState& env, std::vector<Finding>& out);

 private:
  struct Entry {
    size_t key = 0;  ///< of the text (or the closed file's size and time) and the dialect
    std::vector<Finding> findings;
  };
  std::map<std::string, Entry> cache_;  ///< by Script::path
};

}  // namespace alembic::server
