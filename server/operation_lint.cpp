#include "server/operation_lint.h"

#include <functional>

#include "analysis/operations.h"

namespace alembic::server {

bool OperationLint::add_one(const Workspace& workspace, const std::string& path,
                            const std::string* open, const LintOptions& options, size_t dialect_key,
                            std::vector<Finding>& out) {
  ++looked_at_;
  Entry& entry = cache_[path];
  // A closed file the disk has said nothing new about since it was read: as it was.
  const bool unchanged_on_disk = !open && entry.checked && entry.key != 0 &&
                                 entry.dialect_key == dialect_key &&
                                 entry.disk_generation == workspace.disk_generation();
  if (!unchanged_on_disk) {
    // What the findings depend on: the open text, else the file as it is on disk.
    size_t key = dialect_key * 31;
    if (open) {
      key ^= std::hash<std::string>{}(*open);
      entry.checked = false;
    } else {
      const size_t stamp = Workspace::disk_stamp(path);
      if (stamp == 0) {
        cache_.erase(path);
        return false;
      }
      key ^= stamp;
      entry.checked = true;
      entry.disk_generation = workspace.disk_generation();
    }
    if (entry.key != key || key == 0) {
      entry.key = key;
      entry.dialect_key = dialect_key;
      entry.findings.clear();
      const std::string text = open ? *open : workspace.text_of(path);
      add_operation_findings(path, read_operations(text), options, entry.findings);
    }
  }
  out.insert(out.end(), entry.findings.begin(), entry.findings.end());
  return true;
}

void OperationLint::add(const Workspace& workspace, const EnvironmentState& env,
                        std::vector<Finding>& out) {
  looked_at_ = 0;
  const std::string lint = env.settings.lint.value_or("open");
  if (lint == "off") return;
  LintOptions options;
  options.dialect =
      env.settings.dialect ? *env.settings.dialect : environment_dialect(env.environment);
  const size_t dialect_key = std::hash<std::string>{}(options.dialect);
  if (lint != "all") {
    for (const auto& [path, document] : workspace.documents())
      if (env.script_index(path) >= 0)
        add_one(workspace, path, &document.text(), options, dialect_key, out);
    return;
  }
  for (const Script& script : env.scripts)
    add_one(workspace, script.path, workspace.open_text(script.path), options, dialect_key, out);
}

}  // namespace alembic::server
