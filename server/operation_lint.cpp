#include "server/operation_lint.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <system_error>

#include "analysis/branch_conflicts.h"
#include "analysis/discovery.h"
#include "analysis/operation_findings.h"
#include "analysis/operations.h"

namespace alembic::server {

namespace fs = std::filesystem;

namespace {

// What a migration's operations depend on: the open text, else the file as it is on
// disk (its size and time); nullopt when it cannot be seen.
std::optional<size_t> content_key(const Workspace& workspace, const std::string& path) {
  if (const std::string* open = workspace.open_text(path)) return std::hash<std::string>{}(*open);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return std::nullopt;
  const auto time = fs::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return std::hash<uintmax_t>{}(size)*7 +
         std::hash<long long>{}(static_cast<long long>(time.time_since_epoch().count()));
}

void mix(size_t& key, size_t value) {
  key ^= value + 0x9e3779b97f4a7c15ULL + (key << 6) + (key >> 2);
}

}  // namespace

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
      std::error_code ec;
      const auto size = fs::file_size(path, ec);
      const auto time = fs::last_write_time(path, ec);
      if (ec) {
        cache_.erase(path);
        return false;
      }
      key ^= std::hash<uintmax_t>{}(size)*7 +
             std::hash<long long>{}(static_cast<long long>(time.time_since_epoch().count()));
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
  add_conflicts(workspace, env, out);
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

void OperationLint::add_conflicts(const Workspace& workspace, const EnvironmentState& env,
                                  std::vector<Finding>& out) {
  std::string id = env.environment.script_location.string() + "|" + env.environment.config_section;
  for (const fs::path& v : env.environment.version_locations) id += "|" + v.string();
  if (env.graph.head_indexes.size() < 2) {
    conflicts_.erase(id);
    return;
  }
  Conflicts& c = conflicts_[id];
  // The branches are walked again only when some graph changed; their files are read
  // again only when the heads, the branches or one of the files changed.
  if (c.generation != workspace.generation()) {
    c.generation = workspace.generation();
    c.scripts = branch_conflict_scripts(env.graph);
  }
  size_t key = 1;
  for (const std::string& head : env.graph.heads) mix(key, std::hash<std::string>{}(head));
  for (size_t s : c.scripts) {
    if (s >= env.scripts.size()) continue;
    const std::string& path = env.scripts[s].path;
    mix(key, std::hash<std::string>{}(path));
    mix(key, content_key(workspace, path).value_or(0));
  }
  if (key != c.key) {
    c.key = key;
    c.findings.clear();
    ++conflict_runs_;
    add_branch_conflicts(
        env.graph, env.scripts,
        [&workspace](const std::string& path) -> std::optional<std::string> {
          if (const std::string* open = workspace.open_text(path)) return *open;
          try {
            return read_file_bytes(path);
          } catch (const std::exception&) {
            return std::nullopt;
          }
        },
        c.findings);
  }
  out.insert(out.end(), c.findings.begin(), c.findings.end());
}

}  // namespace alembic::server
