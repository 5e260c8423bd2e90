#include "server/cli/check_filter.h"

#include <algorithm>
#include <map>
#include <set>

#include "analysis/head_file.h"
#include "analysis/project_visit.h"
#include "analysis/settings.h"
#include "server/cli/baseline.h"
#include "server/cli/check_lint.h"
#include "server/cli/check_report.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

std::string environment_key(const Environment& env) {
  std::string key = env.script_location.string() + "|" + env.config_section + "|";
  for (const auto& v : env.version_locations) key += v.string() + ";";
  return key;
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
    // Analysed with the settings from the start: the notes added after the analysis
    // (a missing parent defined outside the environment) stay.
    // Under --lint all (or lint = "all") each migration is linted while it is loaded.
    const bool lint_all = options.lint_all || settings.lint.value_or("open") == "all";
    LoadResult loaded = load_paths(
        {path},
        [&settings](const Environment& env, const std::vector<const Environment*>& beside) {
          return analysis_options(settings, env, beside);
        },
        [&](const Environment& env) {
          return lint_all ? lint_visitor(settings, env) : SourceVisitor{};
        });
    out.fatal_errors.insert(out.fatal_errors.end(), loaded.fatal_errors.begin(),
                            loaded.fatal_errors.end());
    std::vector<const Environment*> beside;
    for (const auto& env : loaded.environments) beside.push_back(&env.environment);
    std::vector<Finding> settings_findings = settings.problems;
    for (Finding& f : unknown_environment_findings(settings, beside))
      settings_findings.push_back(std::move(f));
    // The head file (analysis/head_file.h) against the graphs as loaded.
    std::vector<HeadFileSubject> subjects;
    for (const auto& env : loaded.environments) subjects.push_back({&env.environment, &env.graph});
    for (const HeadFile& file : head_files(settings, subjects, display, &settings_findings)) {
      std::string error;
      const std::optional<std::string> text = read_head_file(file.path, &error);
      for (Finding& f : head_file_findings(file, text, error))
        settings_findings.push_back(std::move(f));
    }
    // Worked out before the loop moves the environments out.
    std::vector<AnalysisOptions> analyses;
    for (const auto& env : loaded.environments)
      analyses.push_back(analysis_options(settings, env.environment, beside));

    bool first = true;
    for (size_t i = 0; i < loaded.environments.size(); ++i) {
      LoadedEnvironment& env = loaded.environments[i];
      if (!seen.insert(environment_key(env.environment)).second) continue;
      const AnalysisOptions& analysis = analyses[i];

      // The Alembic an environment runs is read from beside its own config (as the server
      // reads it), not from PATH: a monorepo root names no version of its own.
      Settings env_settings = settings;
      if (const fs::path version_anchor = settings_anchor(env.environment); !version_anchor.empty())
        env_settings.alembic =
            detect_alembic_version(version_anchor, settings.alembic_version_setting);

      std::vector<Finding> findings =
          environment_findings(env.environment, env.graph, env.problems, display);
      std::optional<BaseCommit> base;
      if (options.base_ref) {
        const fs::path anchor = env.environment.version_locations.empty()
                                    ? fs::path(path)
                                    : env.environment.version_locations.front();
        auto it = bases.find(anchor.string());
        if (it == bases.end())
          it = bases.emplace(anchor.string(), resolve_base(anchor, *options.base_ref)).first;
        base = it->second;
      }
      // Operation findings (check_lint.h): every migration with --lint all (or the
      // setting lint = "all"), else those changed since --base (unless lint = "off").
      const std::string lint_setting = env_settings.lint.value_or("open");
      add_lint_findings(env, env_settings,
                        options.lint_all || lint_setting == "all" ? LintScope::All
                        : base && lint_setting != "off"           ? LintScope::Changed
                                                                  : LintScope::None,
                        base, findings,
                        loaded.visited[i].done ? &loaded.visited[i].findings : nullptr);
      if (auto f = unread_config_finding(env.environment, env_settings.alembic, display))
        findings.push_back(std::move(*f));
      if (first)
        findings.insert(findings.end(), settings_findings.begin(), settings_findings.end());
      first = false;
      apply_settings(findings, env_settings);

      if (base) {
        const std::vector<Script> scripts = scripts_at(*base, env.environment, display);
        std::vector<Finding> before = analyze(scripts, analysis).findings;
        apply_settings(before, env_settings);
        findings = new_findings(findings, before);
      }
      env.problems.clear();
      env.environment.unread_folders.clear();  // their findings are in `findings` now
      // In report order once: the reports then read them in place (all_findings).
      sort_for_report(findings);
      env.graph.findings = std::move(findings);
      env.alembic = env_settings.alembic;
      out.environments.push_back(std::move(env));
    }
  }
  return out;
}

}  // namespace alembic::cli
