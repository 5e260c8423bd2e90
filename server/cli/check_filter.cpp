#include "server/cli/check_filter.h"

#include <algorithm>
#include <map>
#include <set>

#include "analysis/discovery.h"
#include "analysis/head_file.h"
#include "analysis/project_visit.h"
#include "analysis/settings.h"
#include "platform/path_text.h"
#include "server/cli/baseline.h"
#include "server/cli/check_lint.h"
#include "server/cli/check_report.h"

namespace alembic::cli {

namespace fs = std::filesystem;

namespace {

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
    if (options.base_ref) resolve_base(platform::utf8_path(path), *options.base_ref);
    const Settings settings = load_settings(platform::utf8_path(path), display);
    // Each environment reads the pyproject.toml nearest to its config (as the server does):
    // PATH's, or a project's own below it in a monorepo.
    auto file_key = [](const std::optional<fs::path>& file) {
      std::error_code ec;
      return file ? fs::weakly_canonical(*file, ec).string() : std::string();
    };
    const std::string path_file = file_key(find_pyproject(platform::utf8_path(path)));
    std::map<std::string, Settings> project_settings;  // by file_key, PATH's not among them
    std::map<fs::path, std::string> key_of_anchor;     // the file search once per directory
    auto settings_key = [&](const Environment& env) -> const std::string& {
      const fs::path anchor = settings_anchor(env);
      if (anchor.empty()) return path_file;
      auto it = key_of_anchor.find(anchor);
      if (it == key_of_anchor.end())
        it = key_of_anchor.emplace(anchor, file_key(find_pyproject(anchor))).first;
      return it->second;
    };
    auto settings_of = [&](const Environment& env) -> const Settings& {
      const std::string key = settings_key(env);
      if (key == path_file) return settings;
      auto it = project_settings.find(key);
      if (it == project_settings.end())
        it = project_settings.emplace(key, load_settings(settings_anchor(env), display)).first;
      return it->second;
    };
    // The environments that read the same settings file as `env`.
    auto sharing = [&](const Environment& env, const std::vector<const Environment*>& all) {
      const std::string key = settings_key(env);
      std::vector<const Environment*> out;
      for (const Environment* e : all)
        if (settings_key(*e) == key) out.push_back(e);
      return out;
    };
    // Analysed with the settings from the start: the notes added after the analysis
    // (a missing parent defined outside the environment) stay.
    // Under --lint all (or lint = "all") each migration is linted while it is loaded.
    LoadResult loaded = load_paths(
        {path},
        [&](const Environment& env, const std::vector<const Environment*>& beside) {
          return analysis_options(settings_of(env), env, sharing(env, beside));
        },
        [&](const Environment& env) {
          const Settings& own = settings_of(env);
          return options.lint_all || own.lint.value_or("open") == "all" ? lint_visitor(own, env)
                                                                        : SourceVisitor{};
        });
    out.fatal_errors.insert(out.fatal_errors.end(), loaded.fatal_errors.begin(),
                            loaded.fatal_errors.end());
    std::vector<const Environment*> beside;
    for (const auto& env : loaded.environments) beside.push_back(&env.environment);
    // Each settings file's own problems, its expected-heads entries that name none of its
    // environments, and its head file (analysis/head_file.h) against their graphs as
    // loaded: reported once, with the first environment that reads the file (PATH's
    // file's with the first environment when none reads it).
    std::map<std::string, std::vector<Finding>> settings_findings;
    auto add_settings_findings = [&](const std::string& key, const Settings& file_settings) {
      std::vector<const Environment*> readers;
      std::vector<HeadFileSubject> subjects;
      for (const auto& env : loaded.environments)
        if (settings_key(env.environment) == key) {
          readers.push_back(&env.environment);
          subjects.push_back({&env.environment, &env.graph});
        }
      std::vector<Finding>& found = settings_findings[key];
      found = file_settings.problems;
      for (Finding& f : unknown_environment_findings(file_settings, readers))
        found.push_back(std::move(f));
      for (const HeadFile& file : head_files(file_settings, subjects, display, &found)) {
        std::string error;
        const std::optional<std::string> text = read_head_file(file.path, &error);
        for (Finding& f : head_file_findings(file, text, error)) found.push_back(std::move(f));
      }
    };
    add_settings_findings(path_file, settings);
    for (const auto& [key, file_settings] : project_settings)
      add_settings_findings(key, file_settings);
    // Worked out before the loop moves the environments out.
    std::vector<AnalysisOptions> analyses;
    std::vector<std::string> keys;
    for (const auto& env : loaded.environments) {
      analyses.push_back(analysis_options(settings_of(env.environment), env.environment,
                                          sharing(env.environment, beside)));
      keys.push_back(settings_key(env.environment));
    }
    // PATH's file read by no environment: its problems go with the first one.
    if (std::find(keys.begin(), keys.end(), path_file) == keys.end() && !keys.empty()) {
      std::vector<Finding>& first_found = settings_findings[keys.front()];
      std::vector<Finding>& orphan = settings_findings[path_file];
      first_found.insert(first_found.end(), orphan.begin(), orphan.end());
      orphan.clear();
    }

    for (size_t i = 0; i < loaded.environments.size(); ++i) {
      LoadedEnvironment& env = loaded.environments[i];
      if (!seen.insert(environment_key(env.environment)).second) continue;
      const AnalysisOptions& analysis = analyses[i];

      // The Alembic an environment runs is read from beside its own config (as the server
      // reads it), not from PATH: a monorepo root names no version of its own.
      const Settings& own_settings = settings_of(env.environment);
      Settings env_settings = own_settings;
      if (const fs::path version_anchor = settings_anchor(env.environment); !version_anchor.empty())
        env_settings.alembic =
            detect_alembic_version(version_anchor, own_settings.alembic_version_setting);

      std::vector<Finding> findings =
          environment_findings(env.environment, env.graph, env.problems, display);
      std::optional<BaseCommit> base;
      if (options.base_ref) {
        const fs::path anchor = env.environment.version_locations.empty()
                                    ? platform::utf8_path(path)
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
      // A settings file's findings with the first environment that reads it.
      if (auto it = settings_findings.find(keys[i]); it != settings_findings.end()) {
        findings.insert(findings.end(), it->second.begin(), it->second.end());
        settings_findings.erase(it);
      }
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
