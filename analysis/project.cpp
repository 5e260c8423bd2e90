#include "analysis/project.h"
#include "analysis/project_visit.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "analysis/constants.h"
#include "analysis/finding_rules.h"
#include "analysis/findings.h"
#include "analysis/parser.h"
#include "analysis/settings.h"

namespace alembic {

void parallel_for(size_t count, unsigned threads, const std::function<void(size_t)>& work) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  // Small inputs are not worth a thread start.
  if (count < 64 || threads == 1) {
    for (size_t i = 0; i < count; ++i) work(i);
    return;
  }
  threads = static_cast<unsigned>(std::min<size_t>(threads, count));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    // Chunks keep the shared counter off the hot path.
    constexpr size_t kChunk = 16;
    for (;;) {
      size_t begin = next.fetch_add(kChunk);
      if (begin >= count) return;
      size_t end = std::min(count, begin + kChunk);
      for (size_t i = begin; i < end; ++i) work(i);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

std::filesystem::path settings_anchor(const Environment& e) {
  if (e.config_path) return e.config_path->parent_path();
  if (!e.script_location.empty()) return e.script_location;
  return e.version_locations.empty() ? std::filesystem::path() : e.version_locations.front();
}

LoadedEnvironment load_environment(const Environment& given, const PathNamer& name_path,
                                   const AnalysisOptions& options, unsigned threads) {
  std::vector<Finding> none;
  return load_environment(given, name_path, options, threads, SourceVisitor{}, none);
}

LoadedEnvironment load_environment(const Environment& given, const PathNamer& name_path,
                                   const AnalysisOptions& options, unsigned threads,
                                   const SourceVisitor& visit, std::vector<Finding>& visited_out) {
  LoadedEnvironment out;
  // Version locations a project sets in Python come from [tool.alembic-lsp] version-locations.
  const std::filesystem::path anchor = settings_anchor(given);
  out.environment =
      anchor.empty() ? given : with_configured_locations(given, load_settings(anchor, name_path));
  const Environment& env = out.environment;
  std::vector<std::filesystem::path> files = list_migration_files(env, out.problems);

  std::vector<Script> scripts(files.size());
  std::vector<std::string> errors(files.size());
  // Only migrations whose values name something are read again; literal-only ones
  // never touch the resolver.
  ConstantResolver constants;
  std::vector<std::vector<std::filesystem::path>> read(files.size());
  std::vector<std::vector<Finding>> visited(visit ? files.size() : 0);
  parallel_for(files.size(), threads, [&](size_t i) {
    scripts[i].path = name_path(files[i]);
    std::string source;
    try {
      source = read_file_bytes(files[i]);
      scripts[i].parsed = parse_migration(source);
      if (has_named_values(scripts[i].parsed))
        constants.resolve(std::filesystem::absolute(files[i]), source, scripts[i].parsed, &read[i]);
    } catch (const std::exception& e) {
      errors[i] = e.what();
      return;
    }
    if (visit) visit(scripts[i].path, source, visited[i]);
  });
  for (size_t i = 0; i < files.size(); ++i)
    if (!read[i].empty() && errors[i].empty())
      out.constants_read[scripts[i].path] = std::move(read[i]);

  // Compacted in place: a second vector of Scripts would double the peak memory.
  if (visit) {
    size_t found = visited_out.size();
    for (const std::vector<Finding>& v : visited) found += v.size();
    visited_out.reserve(found);
  }
  size_t kept = 0;
  for (size_t i = 0; i < scripts.size(); ++i) {
    if (!errors[i].empty()) {
      // A file that vanished or cannot be read is reported, never guessed at.
      out.problems.push_back({files[i], 0, errors[i], false});
      continue;
    }
    if (kept != i) scripts[kept] = std::move(scripts[i]);
    ++kept;
    if (visit)
      for (Finding& f : visited[i]) visited_out.push_back(std::move(f));
  }
  scripts.resize(kept);
  out.scripts = std::move(scripts);
  analyze_into(out.graph, out.scripts, options);  // keeps each script's own findings
  return out;
}

Finding unread_folder_finding(const Environment& env, const std::filesystem::path& folder,
                              const PathNamer& name_path) {
  namespace fs = std::filesystem;
  Finding f;
  f.code = std::string(codes::kUnreadMigrations);
  f.severity = Severity::Information;
  std::string location;
  for (const fs::path& v : env.version_locations) {
    const fs::path rel = folder.lexically_normal().lexically_relative(v.lexically_normal());
    if (!rel.empty() && *rel.begin() != "..") location = name_path(v);
  }
  const std::string config =
      env.config_path ? name_path(*env.config_path) : std::string("the Alembic configuration");
  const std::string ways =
      ", or, when the project sets its version locations in Python, list them under "
      "`version-locations` in [tool.alembic-lsp]";
  f.message = fit("Migrations in " + name_path(folder) + " are not read.",
                  "Migrations in folder " + brief(folder.filename().string()) + " are not read.");
  if (location.empty()) {
    f.detail = "The folder is inside script location " + name_path(env.script_location) +
               " but is not one of its version locations, so Alembic does not load them either. "
               "Add it to version_locations in " +
               config + ways + ".";
  } else {
    f.detail = "The folder lies below version location " + location +
               " and recursive_version_locations is off, so Alembic does not load them either. "
               "Set `recursive_version_locations = true` in " +
               config + ways + ".";
  }
  // On the folder's first migration file, where an editor shows it.
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (is_migration_file_name(it->path().filename().string())) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  f.location.path = name_path(files.empty() ? folder : files.front());
  return f;
}

std::optional<Finding> unread_config_finding(const Environment& env, const AlembicVersion& version,
                                             const PathNamer& name_path) {
  namespace fs = std::filesystem;
  if (env.config_section != "tool.alembic" || !env.config_path || version.at_least({1, 16, 0}))
    return std::nullopt;
  std::error_code ec;
  if (fs::is_regular_file(env.config_path->parent_path() / "alembic.ini", ec)) return std::nullopt;
  Finding f;
  f.code = rule_of(Code::ConfigError).code;
  f.severity = Severity::Error;
  set_message(f, version.name() +
                     " does not read [tool.alembic] in pyproject.toml; Alembic reads it from "
                     "1.16 on, and older ones stop with \"No config file 'alembic.ini' found\". "
                     "Require alembic>=1.16, or move the settings to an alembic.ini");
  f.location.path = name_path(*env.config_path);
  std::string text;
  try {
    text = read_file_bytes(*env.config_path);
  } catch (const std::exception&) {
  }
  uint32_t line = 0;
  for (size_t pos = 0; pos < text.size(); ++line) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view l(text.data() + pos, end - pos);
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (l.starts_with("[tool.alembic]")) {
      f.location.range.start_line = f.location.range.end_line = line;
      break;
    }
    pos = end + 1;
  }
  if (!version.source.empty())
    f.related.push_back({f.location, "The project runs " + version.describe() + "."});
  return f;
}

std::vector<Finding> environment_findings(const Environment& env, const GraphAnalysis& graph,
                                          const std::vector<DiscoveryProblem>& problems,
                                          const PathNamer& name_path) {
  std::vector<Finding> out;
  for (const auto& p : problems) {
    Finding f;
    bool about_config = env.config_path && p.path == *env.config_path;
    f.code = rule_of(about_config ? Code::ConfigError : Code::IoError).code;
    f.severity = p.fatal ? Severity::Error : Severity::Warning;
    set_message(f, p.message);
    f.location.path = name_path(p.path);
    if (p.line > 0) {
      f.location.range.start_line = f.location.range.end_line = static_cast<uint32_t>(p.line - 1);
    }
    out.push_back(std::move(f));
  }
  for (const std::filesystem::path& folder : env.unread_folders)
    out.push_back(unread_folder_finding(env, folder, name_path));
  out.insert(out.end(), graph.findings.begin(), graph.findings.end());
  std::stable_sort(out.begin(), out.end(), finding_before);
  return out;
}

bool finding_before(const Finding& a, const Finding& b) {
  return std::tie(a.location.path, a.location.range.start_line, a.location.range.start_byte,
                  a.code) < std::tie(b.location.path, b.location.range.start_line,
                                     b.location.range.start_byte, b.code);
}

void sort_for_report(std::vector<Finding>& findings) {
  // Each path's rank among the distinct paths: findings come in runs of one file, so the
  // paths are compared once per run, and the sort compares numbers (the codes on ties).
  std::vector<std::string_view> paths;
  for (size_t i = 0; i < findings.size(); ++i)
    if (i == 0 || findings[i].location.path != findings[i - 1].location.path)
      paths.push_back(findings[i].location.path);
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  std::vector<uint32_t> rank(findings.size());
  for (size_t i = 0; i < findings.size(); ++i)
    rank[i] = i > 0 && findings[i].location.path == findings[i - 1].location.path
                  ? rank[i - 1]
                  : static_cast<uint32_t>(
                        std::lower_bound(paths.begin(), paths.end(), findings[i].location.path) -
                        paths.begin());
  std::vector<uint32_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  // The same comparison as finding_before, so the same stable order.
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const SourceRange &ra = findings[a].location.range, &rb = findings[b].location.range;
    if (rank[a] != rank[b]) return rank[a] < rank[b];
    if (ra.start_line != rb.start_line) return ra.start_line < rb.start_line;
    if (ra.start_byte != rb.start_byte) return ra.start_byte < rb.start_byte;
    return findings[a].code < findings[b].code;
  });
  std::vector<Finding> sorted;
  sorted.reserve(findings.size());
  for (uint32_t i : order) sorted.push_back(std::move(findings[i]));
  findings.swap(sorted);
}

std::vector<LoadedEnvironment> load_roots(const std::vector<std::filesystem::path>& roots,
                                          const PathNamer& name_path,
                                          const std::function<void(size_t, size_t)>& progress) {
  std::vector<Environment> found;
  std::vector<std::vector<DiscoveryProblem>> found_problems;
  std::set<std::string> seen;
  for (const auto& root : roots) {
    Discovery d = discover_environments(root);
    for (auto& env : d.environments) {
      std::string key = env.script_location.string() + "|" + env.config_section;
      for (const auto& v : env.version_locations) key += "|" + v.string();
      if (!seen.insert(key).second) continue;
      std::vector<DiscoveryProblem> mine;
      for (const auto& p : d.problems)
        if (env.config_path && p.path == *env.config_path) mine.push_back(p);
      found.push_back(std::move(env));
      found_problems.push_back(std::move(mine));
    }
  }
  std::vector<LoadedEnvironment> out;
  for (size_t i = 0; i < found.size(); ++i) {
    LoadedEnvironment loaded = load_environment(found[i], name_path);
    loaded.problems.insert(loaded.problems.end(), found_problems[i].begin(),
                           found_problems[i].end());
    out.push_back(std::move(loaded));
    if (progress) progress(i + 1, found.size());
  }
  return out;
}

}  // namespace alembic
