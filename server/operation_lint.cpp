#include "server/operation_lint.h"

#include <filesystem>
#include <functional>
#include <system_error>

#include "analysis/operation_findings.h"
#include "analysis/operations.h"

namespace alembic::server {

namespace fs = std::filesystem;

void OperationLint::add(const Workspace& workspace, const EnvironmentState& env,
                        std::vector<Finding>& out) {
  const std::string lint = env.settings.lint.value_or("open");
  if (lint == "off") return;
  LintOptions options;
  options.dialect =
      env.settings.dialect ? *env.settings.dialect : environment_dialect(env.environment);
  const size_t dialect_key = std::hash<std::string>{}(options.dialect);
  for (const Script& script : env.scripts) {
    const std::string* open = workspace.document_text(script.path);
    if (!open && lint != "all") continue;
    // What the findings depend on: the open text, else the file as it is on disk.
    size_t key = dialect_key * 31;
    if (open) {
      key ^= std::hash<std::string>{}(*open);
    } else {
      std::error_code ec;
      const auto size = fs::file_size(script.path, ec);
      const auto time = fs::last_write_time(script.path, ec);
      if (ec) continue;
      key ^= std::hash<uintmax_t>{}(size)*7 +
             std::hash<long long>{}(static_cast<long long>(time.time_since_epoch().count()));
    }
    Entry& entry = cache_[script.path];
    if (entry.key != key || key == 0) {
      entry.key = key;
      entry.findings.clear();
      const std::string text = open ? *open : workspace.text_of(script.path);
      add_operation_findings(script.path, read_operations(text), options, entry.findings);
    }
    out.insert(out.end(), entry.findings.begin(), entry.findings.end());
  }
}

}  // namespace alembic::server
