#include "server/watch_set.h"

#include <algorithm>
#include <optional>

#include "server/head_files.h"

namespace alembic::server {

namespace fs = std::filesystem;

namespace {

template <typename T>
void sort_unique(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

// `path` below `root`, or nullopt when it is not (a relative path that climbs out).
std::optional<fs::path> below(const fs::path& path, const fs::path& root) {
  const fs::path relative = path.lexically_normal().lexically_relative(root.lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return std::nullopt;
  return relative;
}

}  // namespace

std::vector<std::pair<fs::path, bool>> watched_directories(const Workspace& workspace) {
  std::vector<std::pair<fs::path, bool>> dirs;
  for (const auto& root : workspace.roots()) dirs.emplace_back(root, false);
  for (const auto& env : workspace.environments()) {
    const Environment& e = env->environment;
    for (const auto& loc : e.version_locations)
      dirs.emplace_back(loc, e.recursive_version_locations);
    if (e.config_path) dirs.emplace_back(e.config_path->parent_path(), false);
    if (!e.script_location.empty()) dirs.emplace_back(e.script_location, false);
  }
  for (const HeadFile& file : workspace_head_files(workspace))
    dirs.emplace_back(file.path.parent_path(), false);
  sort_unique(dirs);
  return dirs;
}

std::vector<std::string> head_file_globs(const Workspace& workspace) {
  std::vector<std::string> globs;
  for (const HeadFile& file : workspace_head_files(workspace)) {
    std::optional<fs::path> relative;
    for (const auto& root : workspace.roots())
      if ((relative = below(file.path, root))) break;
    globs.push_back(relative ? "**/" + relative->generic_string() : file.path.generic_string());
  }
  sort_unique(globs);
  return globs;
}

}  // namespace alembic::server
