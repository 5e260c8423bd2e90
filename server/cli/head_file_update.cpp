#include "server/cli/head_file_update.h"

#include "analysis/head_file.h"
#include "analysis/settings.h"
#include "server/cli/check_report.h"
#include "server/cli/load.h"
#include "server/head_files.h"
#include "server/new_file.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

bool same_environment(const Environment& a, const Environment& b) {
  return a.script_location == b.script_location && a.config_section == b.config_section &&
         a.config_path == b.config_path && a.version_locations == b.version_locations;
}

}  // namespace

std::vector<std::string> update_head_files(const LoadedEnvironment& env,
                                           const std::vector<std::string>& heads) {
  std::vector<std::string> written;
  const PathNamer display = [](const fs::path& p) { return display_path(p); };
  fs::path anchor = settings_anchor(env.environment);
  if (anchor.empty()) anchor = env.environment.script_location;
  if (anchor.empty() && !env.environment.version_locations.empty())
    anchor = env.environment.version_locations.front();
  const Settings settings = load_settings(anchor, display);
  if (!settings.file || (!settings.head_file && settings.head_file_by_environment.empty()))
    return written;
  // The other environments reading the same settings share a one-file head file.
  const LoadResult all = load_paths({settings.file->parent_path().string()});
  std::vector<HeadFileSubject> subjects;
  bool chosen_seen = false;
  for (const LoadedEnvironment& other : all.environments) {
    const fs::path other_anchor = settings_anchor(other.environment);
    if (find_pyproject(other_anchor.empty() ? other.environment.script_location : other_anchor) !=
        settings.file)
      continue;
    if (same_environment(other.environment, env.environment)) {
      subjects.push_back({&env.environment, &env.graph});
      chosen_seen = true;
    } else {
      subjects.push_back({&other.environment, &other.graph});
    }
  }
  if (!chosen_seen) subjects.push_back({&env.environment, &env.graph});
  for (const HeadFile& file : head_files(settings, subjects, display, nullptr)) {
    bool records = false;
    for (const HeadFileSubject& s : file.subjects)
      records = records || s.environment == &env.environment;
    if (!records) continue;
    std::string error;
    const std::optional<std::string> text = read_head_file(file.path, &error);
    if (!text && !error.empty()) throw std::runtime_error("cannot update the head file: " + error);
    std::vector<std::string> sorted = heads;
    std::sort(sorted.begin(), sorted.end());
    const std::string wanted = head_file_text_with(file, &env.environment, sorted);
    if (text && *text == wanted) continue;
    if (text) {
      server::replace_file(file.path, wanted);
    } else {
      fs::create_directories(file.path.parent_path());
      server::write_new_file(file.path, wanted);
    }
    written.push_back(display_path(file.path));
  }
  return written;
}

}  // namespace alembic::cli
