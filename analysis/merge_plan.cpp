// Planning `alembic merge heads` (alembic/command.py merge, script/base.py
// generate_revision and _rev_path of Alembic 1.8.1, unchanged upstream in these parts).
#include "analysis/merge_plan.h"

#include <algorithm>
#include <unordered_set>

#include "analysis/merge.h"
#include "analysis/windows_names.h"
#include "platform/path_text.h"
#include "platform/system.h"

namespace alembic {

namespace fs = std::filesystem;

namespace {

fs::path normal(const fs::path& p) {
  return p.lexically_normal();
}

// `child` lies inside `dir` (or is `dir` itself), comparing normalised paths.
bool is_within(const fs::path& dir, const fs::path& child) {
  const fs::path rel = normal(child).lexically_relative(normal(dir));
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<std::string> merge_parents(const GraphAnalysis& graph) {
  std::vector<std::string> parents;
  std::unordered_set<std::string> seen;
  // A duplicated id is listed once per copy in heads; Alembic would stop with
  // "Duplicate head revisions specified", a merge names it once.
  for (const std::string& head : graph.heads)
    if (seen.insert(head).second) parents.push_back(head);
  return parents;
}

std::optional<fs::path> merge_directory(const Environment& env, const std::vector<Script>& scripts,
                                        const GraphAnalysis& graph,
                                        const std::vector<std::string>& parents) {
  if (env.version_locations.empty()) return std::nullopt;
  if (env.version_locations.size() == 1) return normal(env.version_locations.front());
  // Several locations: generate_revision takes the directory of the first head's file.
  for (const std::string& parent : parents) {
    const long index = graph.find(parent);
    if (index < 0) continue;
    const size_t script = graph.revisions[static_cast<size_t>(index)].script;
    if (script >= scripts.size()) continue;
    const fs::path dir = normal(platform::utf8_path(scripts[script].path).parent_path());
    for (const fs::path& location : env.version_locations)
      if (normal(location) == dir) return dir;
    for (const fs::path& location : env.version_locations)
      if (is_within(location, dir)) return normal(location);
    break;  // Alembic looks at the first head only
  }
  return std::nullopt;
}

std::optional<std::string> read_script_template(const Environment& env) {
  if (env.script_location.empty()) return std::nullopt;
  const fs::path path = env.script_location / "script.py.mako";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  try {
    return read_file_bytes(path);
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: the default template is the documented fallback
  }
}

std::optional<NewMigrationFile> place_new_migration(const Environment& env,
                                                    const GraphAnalysis& graph,
                                                    const fs::path& directory,
                                                    std::string_view message,
                                                    const MergeOptions& options, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<NewMigrationFile> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  const std::string slug = make_slug(message, env.truncate_slug_length);
  const auto taken = options.path_taken ? options.path_taken : [](const fs::path& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
  };
  // 48 random bits make a collision unlikely; a few retries make it impossible in practice
  // and the caller's exclusive create guards the rest.
  constexpr int kAttempts = 64;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::string id = options.new_id ? options.new_id() : new_revision_id();
    if (id.empty() || graph.by_id.contains(id)) continue;
    const std::string name = render_file_name(env.file_template, id, slug, options.now);
    if (auto problem = platform::kWindowsPaths ? windows_name_problem(name) : std::nullopt)
      return fail("file_template '" + env.file_template + "' gives the file name " + name +
                  ", which Windows does not accept: " + *problem);
    const fs::path path = normal(directory / platform::utf8_path(name));
    if (!is_within(directory, path) || path == directory)
      return fail("file_template '" + env.file_template + "' names a file outside " +
                  directory.string());
    if (path.parent_path() != directory && !env.recursive_version_locations)
      return fail("file_template '" + env.file_template +
                  "' puts the file in a subdirectory, which Alembic loads only with "
                  "recursive_version_locations = true");
    // Lexically inside is not enough: a symlinked subdirectory may lead elsewhere (and
    // Alembic's os.walk would not even load a file behind it).
    if (path.parent_path() != directory) {
      std::error_code ec;
      const fs::path real_dir = fs::weakly_canonical(directory, ec);
      const fs::path real_parent = fs::weakly_canonical(path.parent_path(), ec);
      if (ec || !is_within(real_dir, real_parent / "x"))
        return fail("file_template '" + env.file_template + "' puts the file in " +
                    path.parent_path().string() + ", which leads outside the version location " +
                    directory.string() + " (a symbolic link?)");
      for (fs::path p = path.parent_path(); p != directory && is_within(directory, p);
           p = p.parent_path()) {
        if (fs::is_symlink(p, ec))
          return fail("file_template '" + env.file_template +
                      "' puts the file behind the symbolic link " + p.string() +
                      ", which Alembic does not follow");
      }
    }
    if (taken(path)) continue;
    return NewMigrationFile{std::move(id), path};
  }
  return fail("could not find a free revision id and file name in " + directory.string());
}

std::optional<MergePlan> plan_merge(const Environment& env, const std::vector<Script>& scripts,
                                    const GraphAnalysis& graph,
                                    std::optional<std::string_view> project_template,
                                    const MergeOptions& options, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<MergePlan> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  MergePlan plan;
  plan.parents = merge_parents(graph);
  if (plan.parents.size() < 2)
    return fail("there is nothing to merge: the history has " +
                std::to_string(plan.parents.size()) + " head");
  std::optional<fs::path> dir = merge_directory(env, scripts, graph, plan.parents);
  if (!dir)
    return fail(
        "no version location to write the merge to (Alembic: \"Multiple version "
        "locations present, please specify --version-path\")");
  plan.directory = *dir;

  std::optional<NewMigrationFile> file =
      place_new_migration(env, graph, plan.directory, options.message, options, why);
  if (!file) return std::nullopt;
  plan.revision = std::move(file->revision);
  plan.path = std::move(file->path);

  MergeScript script;
  script.message = options.message;
  script.revision = plan.revision;
  script.parents = plan.parents;
  script.create_date = python_datetime_str(options.now);
  plan.content = render_merge_script(project_template, script, &plan.template_note);
  return plan;
}

}  // namespace alembic
