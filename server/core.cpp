#include "server/core.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <optional>
#include <utility>

#include "analysis/findings.h"
#include "analysis/outside.h"
#include "analysis/project.h"
#include "server/head_files.h"
#include "server/history_lookups.h"
#include "server/uri.h"

namespace alembic::server {

Core::Core(Post post)
    : post_(std::move(post)), history_(std::make_unique<HistoryLookups>(workspace_, post_, [this] {
        ++findings_version_;
        if (findings_changed) findings_changed();
      })) {}

Core::~Core() {
  shutdown();
}

void Core::shutdown() {
  // The indexer posts its result to the owner; it must finish before the core goes.
  if (indexer_.joinable()) indexer_.join();
  history_.reset();
}

void Core::index_in_background(IndexEvents events) {
  const uint64_t epoch = ++index_epoch_;
  std::vector<fs::path> roots = workspace_.roots();
  if (indexer_.joinable()) indexer_.join();
  indexer_ = std::thread([this, epoch, roots, events = std::move(events)] {
    auto report = [&](size_t done, size_t total) {
      if (events.progress) events.progress(done, total);
    };
    auto loaded = std::make_shared<std::vector<LoadedEnvironment>>(Workspace::load(roots, report));
    post_([this, epoch, loaded, events] {
      if (events.ended) events.ended();
      if (epoch != index_epoch_) return;  // a newer index replaced this one
      size_t revisions = 0;
      for (const auto& e : *loaded) revisions += e.scripts.size();
      const std::string summary = "indexed " + std::to_string(loaded->size()) +
                                  " environment(s), " + std::to_string(revisions) +
                                  " migration file(s)";
      workspace_.install(std::move(*loaded));
      indexed_ = true;
      if (events.installed) events.installed(summary);
    });
  });
}

void Core::reindex_now() {
  ++index_epoch_;
  workspace_.reindex();
  indexed_ = true;
}

std::vector<Finding> Core::set_editor_settings(Settings settings) {
  std::vector<Finding> problems = std::move(settings.problems);
  settings.problems.clear();
  workspace_.set_editor_settings(std::move(settings));
  return problems;
}

void Core::changed() {
  ++findings_version_;
  if (findings_changed) findings_changed();
  for (const auto& hook : after_change) hook();
  if (history_) history_->workspace_changed();
}

void Core::operations_changed() {
  ++findings_version_;
  if (findings_changed) findings_changed();
}

void Core::refresh_branch_conflicts(const std::function<bool()>& interrupted) {
  if (!indexed_) return;
  const auto start = std::chrono::steady_clock::now();
  const uint64_t walks = branch_conflict_lint_.walks(), read = branch_conflict_lint_.files_read();
  const bool changed = branch_conflict_lint_.refresh(workspace_, interrupted);
  if (spdlog::should_log(spdlog::level::debug))
    spdlog::debug(
        "branch-conflict: {} walk(s), {} file(s) read, {:.2f} ms{}",
        branch_conflict_lint_.walks() - walks, branch_conflict_lint_.files_read() - read,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
        changed ? ", findings changed" : "");
  if (changed) operations_changed();
}

std::vector<Finding> Core::current_findings() {
  std::vector<Finding> out;
  // Problems of a settings file are reported once, however many environments share it,
  // with an expected-heads entry checked against every environment that reads the file.
  std::map<std::string, std::pair<const Settings*, std::vector<const Environment*>>> settings_files;
  // Missing parents defined outside their environment say where (built only when needed).
  std::optional<RevisionHomes> homes;
  for (const auto& env : workspace_.environments()) {
    auto findings = environment_findings(env->environment, env->graph, env->problems,
                                         [](const fs::path& p) { return normal_path(p); });
    if (auto f = unread_config_finding(env->environment, env->settings.alembic,
                                       [](const fs::path& p) { return normal_path(p); }))
      findings.push_back(std::move(*f));
    for (const auto& f : findings) {
      if (f.code != codes::kMissingRevision || homes) continue;
      homes.emplace();
      for (const auto& other : workspace_.environments())
        homes->add(other->environment, other->scripts,
                   [](const fs::path& p) { return normal_path(p); });
    }
    if (homes) homes->annotate(env->environment, env->scripts, findings);
    operation_lint_.add(workspace_, *env, findings);
    branch_conflict_lint_.add(*env, findings);
    apply_settings(findings, env->settings);
    // Missing parents get what git knows about them (looked up in the background).
    if (history_)
      for (auto& f : findings) history_->annotate(*env, f);
    out.insert(out.end(), std::make_move_iterator(findings.begin()),
               std::make_move_iterator(findings.end()));
    if (env->settings.file) {
      auto& entry = settings_files[env->settings.file_name];
      entry.first = &env->settings;
      entry.second.push_back(&env->environment);
    }
  }
  for (const auto& [file, entry] : settings_files) {
    std::vector<Finding> problems = entry.first->problems;
    for (Finding& f : unknown_environment_findings(*entry.first, entry.second))
      problems.push_back(std::move(f));
    apply_settings(problems, *entry.first);
    out.insert(out.end(), problems.begin(), problems.end());
  }
  for (Finding& f : head_file_findings(workspace_)) out.push_back(std::move(f));
  return out;
}

}  // namespace alembic::server
