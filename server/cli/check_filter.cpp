#include "server/cli/check_filter.h"

#include <map>
#include <set>

#include "analysis/settings.h"
#include "server/cli/baseline.h"
#include "server/cli/check_report.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

std::string environment_key(const Environment& env) {
  std::string key = env.script_location.string() + "|" + env.config_section + "|";
  for (const auto& v : env.version_locations) key += v.string() + ";";
  return key;
}

bool differs(const AnalysisOptions& a, const AnalysisOptions& b) {
  return a.expected_heads != b.expected_heads || a.allow_multiple_heads != b.allow_multiple_heads;
}

std::string display(const fs::path& p) {
  return display_path(p);
}

}  // namespace

LoadResult load_and_filter(const std::vector<std::string>& paths, const CheckOptions& options) {
  LoadResult out;
  std::set<std::string> seen;
  // One repository lookup per directory is enough; most runs have one PATH.
  std::map<std::string, BaseCommit> bases;
  for (const std::string& path : paths) {
    // A bad ref or a missing repository stops the run before anything is printed.
    if (options.base_ref) resolve_base(fs::path(path), *options.base_ref);
    const Settings settings = load_settings(fs::path(path), display);
    LoadResult loaded = load_paths({path});
    out.fatal_errors.insert(out.fatal_errors.end(), loaded.fatal_errors.begin(),
                            loaded.fatal_errors.end());
    std::vector<std::string> names;
    for (const auto& env : loaded.environments) names.push_back(env.environment.name);
    std::vector<Finding> settings_findings = settings.problems;
    for (Finding& f : unknown_environment_findings(settings, names))
      settings_findings.push_back(std::move(f));

    bool first = true;
    for (LoadedEnvironment& env : loaded.environments) {
      if (!seen.insert(environment_key(env.environment)).second) continue;
      const AnalysisOptions analysis = analysis_options(settings, env.environment.name);
      if (differs(analysis, AnalysisOptions{})) env.graph = analyze(env.scripts, analysis);

      // The Alembic an environment runs is read from beside its own config (as the server
      // reads it), not from PATH: a monorepo root names no version of its own.
      Settings env_settings = settings;
      if (const fs::path version_anchor = settings_anchor(env.environment); !version_anchor.empty())
        env_settings.alembic =
            detect_alembic_version(version_anchor, settings.alembic_version_setting);

      std::vector<Finding> findings = all_findings(env);
      if (first)
        findings.insert(findings.end(), settings_findings.begin(), settings_findings.end());
      first = false;
      apply_settings(findings, env_settings);

      if (options.base_ref) {
        const fs::path anchor = env.environment.version_locations.empty()
                                    ? fs::path(path)
                                    : env.environment.version_locations.front();
        auto it = bases.find(anchor.string());
        if (it == bases.end())
          it = bases.emplace(anchor.string(), resolve_base(anchor, *options.base_ref)).first;
        const std::vector<Script> scripts = scripts_at(it->second, env.environment, display);
        std::vector<Finding> before = analyze(scripts, analysis).findings;
        apply_settings(before, env_settings);
        findings = new_findings(findings, before);
      }
      env.problems.clear();
      env.environment.unread_folders.clear();  // their findings are in `findings` now
      env.graph.findings = std::move(findings);
      env.alembic = env_settings.alembic;
      out.environments.push_back(std::move(env));
    }
  }
  return out;
}

}  // namespace alembic::cli
