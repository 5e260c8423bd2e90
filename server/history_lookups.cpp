#include "server/history_lookups.h"

#include <spdlog/spdlog.h>

#include "analysis/findings.h"
#include "analysis/outside.h"
#include "server/session.h"

namespace alembic::server {

namespace {

// A refresh (HEAD may have moved) at most this often, and only after a workspace change.

std::string key_of(const Environment& env) {
  std::string key = env.recursive_version_locations ? "r" : "n";
  for (const fs::path& l : env.version_locations) key += '\0' + l.string();
  return key;
}

}  // namespace

HistoryLookups::HistoryLookups(Session& session) : session_(session) {}

HistoryLookups::~HistoryLookups() {
  stopping_ = true;
  if (worker_.joinable()) worker_.join();
}

HistoryLookups::Known& HistoryLookups::known(const EnvironmentState& env) {
  return known_[key_of(env.environment)];
}

void HistoryLookups::annotate(const EnvironmentState& env, Finding& finding) {
  if (finding.code != codes::kMissingRevision || finding.revisions.size() < 2 ||
      defined_outside(finding))
    return;
  const history::MissingRevisionHistory* h = missing(env, finding.revisions[1]);
  if (!h || !history::worth_reporting(*h, finding.suggestion.has_value())) return;
  const std::string text = history::describe(*h);
  finding.message += " Git history: " + text + ".";
  Location where = finding.location;
  if (h->fate == history::Fate::Renamed) {
    if (std::optional<fs::path> root = top(env)) {
      std::error_code ec;
      const fs::path moved = *root / h->renamed_to;
      if (fs::is_regular_file(moved, ec)) where = Location{normal_path(moved), SourceRange{}};
    }
  }
  finding.related.push_back({where, "git history of " + h->id + ": " + text});
}

const history::MissingRevisionHistory* HistoryLookups::missing(const EnvironmentState& env,
                                                               const std::string& id) {
  Known& k = known(env);
  if (k.unavailable) return nullptr;
  auto it = k.missing.find(id);
  if (it != k.missing.end()) return &it->second;
  k.wanted.insert(id);
  return nullptr;
}

HistoryLookups::Added HistoryLookups::added(const EnvironmentState& env, const std::string& path) {
  Known& k = known(env);
  Added answer;
  if (k.unavailable) return answer;
  if (!k.added || !k.scope) {
    k.want_added = true;
    answer.state = Added::State::Pending;
    return answer;
  }
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(path, ec);
  const std::string rel =
      real.lexically_relative(fs::weakly_canonical(k.scope->top, ec)).generic_string();
  auto it = k.added->by_path.find(rel);
  if (it == k.added->by_path.end()) {
    answer.state = Added::State::Uncommitted;
    return answer;
  }
  answer.state = Added::State::Known;
  answer.commit = it->second;
  // Only the shallow boundary's own additions are uncertain: it lists every file as added.
  answer.shallow = k.added->shallow;
  return answer;
}

bool HistoryLookups::unavailable(const EnvironmentState& env) const {
  auto it = known_.find(key_of(env.environment));
  return it != known_.end() && it->second.unavailable;
}

std::optional<fs::path> HistoryLookups::top(const EnvironmentState& env) const {
  auto it = known_.find(key_of(env.environment));
  if (it == known_.end() || !it->second.scope) return std::nullopt;
  return it->second.scope->top;
}

void HistoryLookups::flush() {
  if (running_) return;
  std::vector<Job> jobs;
  // Known answers are checked again after any change of the workspace (a commit or a
  // checkout moves HEAD, and the files it touches change with it). Runs never overlap:
  // changes made during one are seen by the flush that publishing its results makes.
  const bool refresh = session_.workspace.generation() != checked_generation_ || disk_changed_;
  for (const auto& env : session_.workspace.environments()) {
    Known& k = known(*env);
    if (k.unavailable) continue;
    Job job;
    job.key = key_of(env->environment);
    job.environment = env->environment;
    job.ids.assign(k.wanted.begin(), k.wanted.end());
    job.added = k.want_added;
    if (refresh) {
      for (const auto& [id, _] : k.missing) job.ids.push_back(id);
      job.added |= k.added.has_value();
    }
    k.wanted.clear();
    k.want_added = false;
    if (!job.ids.empty() || job.added) jobs.push_back(std::move(job));
  }
  if (refresh) {
    checked_generation_ = session_.workspace.generation();
    disk_changed_ = false;
  }
  if (!jobs.empty()) start(std::move(jobs));
}

void HistoryLookups::run(history::History& cache, Job& job) {
  job.scope = history::scope_of(job.environment, &job.why);
  if (!job.scope) return;
  if (!job.ids.empty()) {
    auto found = cache.missing(*job.scope, job.ids, &job.why);
    if (!found) return;
    job.missing = std::move(*found);
  }
  if (job.added) {
    job.added_files = cache.added(*job.scope, &job.why);
    if (!job.added_files) return;
  }
  job.why.clear();
}

void HistoryLookups::start(std::vector<Job> jobs) {
  if (worker_.joinable()) worker_.join();  // it has posted its results already
  running_ = true;
  checked_generation_ = session_.workspace.generation();
  worker_ = std::thread([this, jobs = std::move(jobs)]() mutable {
    for (Job& job : jobs) {
      if (stopping_) break;
      run(cache_, job);
    }
    if (stopping_) return;
    session_.endpoint.post([this, jobs = std::move(jobs)]() mutable { finish(std::move(jobs)); });
  });
}

void HistoryLookups::finish(std::vector<Job> jobs) {
  running_ = false;
  for (Job& job : jobs) {
    Known& k = known_[job.key];
    if (!job.why.empty()) {
      k.unavailable = true;
      // One line per kind of reason: a monorepo outside git logs "not a repository" once.
      const bool no_repository = job.why.find("not inside a git repository") != std::string::npos;
      if (logged_.insert(no_repository ? "no repository" : job.why).second)
        spdlog::info("git history is not available ({}); answers leave it out", job.why);
      continue;
    }
    k.scope = job.scope;
    for (history::MissingRevisionHistory& h : job.missing) k.missing[h.id] = std::move(h);
    if (job.added_files) k.added = std::move(job.added_files);
  }
  session_.publish_diagnostics();  // only files whose diagnostics changed are sent
}

}  // namespace alembic::server
