#include "analysis/outside.h"

#include <algorithm>
#include <set>

#include "analysis/findings.h"
#include "analysis/parser.h"

namespace alembic {

namespace fs = std::filesystem;

void RevisionHomes::add(const Environment& env, const std::vector<Script>& scripts,
                        const PathNamer& name_path) {
  for (const Script& s : scripts) {
    const AssignedValue& r = s.parsed.revision;
    if (r.present && r.strings.size() == 1 && !r.is_sequence)
      homes_[r.strings.front().text].push_back({s.path, env.name, r.strings.front().range});
  }
  for (const fs::path& folder : env.unread_folders) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
      if (is_migration_file_name(it->path().filename().string())) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      try {
        ParsedMigration parsed = parse_migration(read_file_bytes(file));
        const AssignedValue& r = parsed.revision;
        if (r.present && r.strings.size() == 1 && !r.is_sequence)
          homes_[r.strings.front().text].push_back({name_path(file), "", r.strings.front().range});
      } catch (const std::exception&) {
        // Unreadable: nothing to point at.
      }
    }
  }
}

void RevisionHomes::annotate(const Environment& env, const std::vector<Script>& scripts,
                             std::vector<Finding>& findings) const {
  if (homes_.empty()) return;
  std::set<std::string_view> read;
  for (const Script& s : scripts) read.insert(s.path);
  for (Finding& f : findings) {
    if (f.code != codes::kMissingRevision || f.revisions.size() < 2 || defined_outside(f)) continue;
    auto it = homes_.find(f.revisions[1]);
    if (it == homes_.end()) continue;
    for (const Home& home : it->second) {
      if (read.contains(home.path)) continue;  // the environment reads it: a different problem
      if (!home.environment.empty() && home.environment == env.name) continue;
      add_detail(f, "It exists in " + home.path + ", outside this environment (" +
                        (home.environment.empty()
                             ? std::string("a folder below a version location that is not read; "
                                           "see the unread-migrations note")
                             : "it belongs to environment " + home.environment) +
                        ").");
      f.related.push_back({{home.path, home.range}, std::string(kDefinedOutside)});
      break;
    }
  }
}

bool defined_outside(const Finding& f) {
  return std::any_of(f.related.begin(), f.related.end(),
                     [](const RelatedLocation& r) { return r.message == kDefinedOutside; });
}

}  // namespace alembic
