#include "server/cli/baseline.h"

#include <algorithm>
#include <map>
#include <set>

#include "analysis/constants.h"
#include "analysis/finding_rules.h"
#include "analysis/git.h"
#include "analysis/parser.h"
#include "platform/path_text.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

fs::path nearest_existing(fs::path dir) {
  std::error_code ec;
  dir = fs::absolute(dir, ec).lexically_normal();
  while (!fs::is_directory(dir, ec)) {
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return dir;
}

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The order list_migration_files walks a location in (os.walk): a directory's files
// sorted by name, then its subdirectories sorted by name, depth first.
bool walk_order(const std::string& a, const std::string& b) {
  const std::vector<std::string> x = components(a), y = components(b);
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (x[i] == y[i]) continue;
    const bool x_file = i + 1 == x.size(), y_file = i + 1 == y.size();
    if (x_file != y_file) return x_file;
    return x[i] < y[i];
  }
  return x.size() < y.size();
}

bool under_pycache(const std::string& path) {
  for (const std::string& part : components(path))
    if (part == "__pycache__") return true;
  return false;
}

}  // namespace

BaseCommit resolve_base(const fs::path& dir, const std::string& ref) {
  const fs::path start = nearest_existing(dir);
  std::string why;
  std::optional<fs::path> top = git::toplevel(start, &why);
  if (!top) throw BaselineError("--base needs a git repository: " + why);
  std::optional<std::string> commit = git::resolve_commit(start, ref);
  if (!commit) throw BaselineError("unknown git ref '" + ref + "'");
  return {*top, ref, *commit};
}

std::vector<Script> scripts_at(const BaseCommit& base, const Environment& env,
                               const PathNamer& name_path) {
  std::vector<fs::path> files;
  std::vector<std::string> objects;
  std::set<std::string> seen;
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(base.top, ec);
  for (const fs::path& location : env.version_locations) {
    const fs::path real = fs::weakly_canonical(location, ec);
    fs::path rel = real.lexically_relative(top);
    if (rel.empty() || *rel.begin() == "..")
      throw BaselineError("version location " + location.string() +
                          " is outside the git repository " + base.top.string() +
                          ", so --base cannot read it at " + base.ref);
    std::string subdir = rel.generic_string();
    if (subdir == ".") subdir.clear();
    std::string why;
    auto entries =
        git::list_tree(base.top, base.commit, subdir, env.recursive_version_locations, &why);
    if (!entries)
      throw BaselineError("cannot list " + location.string() + " at " + base.ref + ": " + why);
    std::vector<git::TreeEntry> kept;
    for (git::TreeEntry& e : *entries) {
      // Links are skipped: their blob is a target path, not a migration.
      if (e.type != "blob" || e.mode == "120000" || under_pycache(e.path)) continue;
      const size_t slash = e.path.rfind('/');
      if (!is_migration_file_name(slash == std::string::npos ? e.path : e.path.substr(slash + 1)))
        continue;
      if (!seen.insert(subdir + "/" + e.path).second) continue;  // a location listed twice
      kept.push_back(std::move(e));
    }
    std::sort(kept.begin(), kept.end(), [](const git::TreeEntry& a, const git::TreeEntry& b) {
      return walk_order(a.path, b.path);
    });
    for (const git::TreeEntry& e : kept) {
      files.push_back(location / platform::utf8_path(e.path));
      objects.push_back(e.object);
    }
  }
  std::string why;
  auto contents = git::read_blobs(base.top, objects, &why);
  if (!contents) throw BaselineError("cannot read migrations at " + base.ref + ": " + why);
  std::vector<Script> scripts(files.size());
  // Constants are read from the working tree's modules (not their state at the base):
  // right whenever the module did not change, and the base is then read as the
  // current checkout is.
  ConstantResolver constants;
  parallel_for(files.size(), 0, [&](size_t i) {
    scripts[i].path = name_path(files[i]);
    scripts[i].parsed = parse_migration((*contents)[i]);
    if (has_named_values(scripts[i].parsed))
      constants.resolve(files[i], (*contents)[i], scripts[i].parsed);
  });
  return scripts;
}

std::string finding_key(const Finding& f) {
  std::string key = f.code + '\0' + f.location.path;
  if (f.code == "multiple-heads") return key;
  for (const std::string& id : f.revisions) key += '\0' + id;
  return key;
}

bool describes_checkout(const Finding& f) {
  const FindingRule* rule = find_rule(f.code);
  return rule != nullptr && rule->about_checkout;
}

std::vector<Finding> new_findings(const std::vector<Finding>& current,
                                  const std::vector<Finding>& base) {
  std::map<std::string, size_t> remaining;
  for (const Finding& f : base) ++remaining[finding_key(f)];
  std::vector<Finding> out;
  for (const Finding& f : current) {
    if (!describes_checkout(f)) {
      auto it = remaining.find(finding_key(f));
      if (it != remaining.end() && it->second > 0) {
        --it->second;
        continue;
      }
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace alembic::cli
