#include "server/history_lookups.h"

#include <algorithm>
#include <fstream>
#include <set>

#include <spdlog/spdlog.h>

#include "analysis/findings.h"
#include "analysis/outside.h"
#include "platform/path_text.h"
#include "server/uri.h"
#include "server/watchers.h"
#include "server/workspace.h"

namespace alembic::server {

namespace {

// A refresh (HEAD may have moved) at most this often, and only after a workspace change.

std::string key_of(const Environment& env) {
  std::string key = env.recursive_version_locations ? "r" : "n";
  for (const fs::path& l : env.version_locations) key += '\0' + l.string();
  return key;
}

constexpr auto kFirstRetry = std::chrono::seconds(1);
constexpr auto kLongestRetry = std::chrono::minutes(5);

// `<top>/.git`, or where a `.git` file ("gitdir: ...", a linked work tree or a
// submodule) points; with the common directory holding refs when it differs.
std::vector<fs::path> git_dirs(const fs::path& top) {
  std::error_code ec;
  fs::path dot = top / ".git";
  if (fs::is_directory(dot, ec)) return {dot};
  std::ifstream in(dot);
  std::string line;
  if (!std::getline(in, line) || line.rfind("gitdir:", 0) != 0) return {};
  std::string where = line.substr(7);
  where.erase(0, where.find_first_not_of(" \t"));
  while (!where.empty() && (where.back() == '\r' || where.back() == ' ')) where.pop_back();
  const fs::path written = platform::utf8_path(where);
  fs::path dir = written.is_absolute() ? written : top / written;
  std::vector<fs::path> out{dir.lexically_normal()};
  std::ifstream common(dir / "commondir");
  if (std::getline(common, line) && !line.empty()) {
    const fs::path named = platform::utf8_path(line);
    fs::path c = named.is_absolute() ? named : dir / named;
    out.push_back(c.lexically_normal());
  }
  return out;
}

// Whether an event under a git directory can move what history answers: HEAD, a ref.
bool moves_history(const std::string& path) {
  const fs::path p = platform::utf8_path(path);
  const std::string name = p.filename().string();
  if (name == "HEAD" || name == "packed-refs" || name == "ORIG_HEAD") return true;
  // Any ref but git's lock files: a branch named `main` (4 characters) counts too.
  const bool lock = name.size() >= 5 && name.compare(name.size() - 5, 5, ".lock") == 0;
  // Below a directory named refs, by components: Windows separates them with '\' too.
  if (lock) return false;
  for (const fs::path& part : p.parent_path())
    if (part == "refs") return true;
  return false;
}

// The ids the missing-revision findings of `graph` name (what annotate() asks about).
std::set<std::string> missing_ids(const GraphAnalysis& graph) {
  std::set<std::string> ids;
  for (const Finding& f : graph.findings)
    if (f.code == codes::kMissingRevision && f.revisions.size() >= 2) ids.insert(f.revisions[1]);
  return ids;
}

}  // namespace

HistoryLookups::HistoryLookups(const Workspace& workspace, Post post,
                               std::function<void()> answered)
    : workspace_(workspace), post_(std::move(post)), answered_(std::move(answered)) {}

HistoryLookups::~HistoryLookups() {
  self_.reset();
  stopping_ = true;
  git_watcher_.reset();
  if (worker_.joinable()) worker_.join();
}

void HistoryLookups::watch_repositories() {
  std::vector<std::pair<fs::path, bool>> dirs;
  for (const auto& [_, k] : known_) {
    if (!k.scope) continue;
    for (const fs::path& dir : git_dirs(k.scope->top)) {
      dirs.emplace_back(dir, false);          // HEAD, packed-refs
      dirs.emplace_back(dir / "refs", true);  // branches, tags, remotes, stash
      // Branches once more on their own: a commit moves only refs/heads/<branch>, and a
      // subtree watch does not see below its first level everywhere (wine 8's
      // ReadDirectoryChangesW reports a file changed in refs/ but not in refs/heads/).
      // Where it does, the same directory is watched once (inotify) or its events doubled.
      dirs.emplace_back(dir / "refs" / "heads", false);
    }
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  if (dirs == git_watched_) return;
  git_watched_ = dirs;
  if (!git_watcher_) {
    // The watcher's thread only posts; the task runs on the owner's thread, and does
    // nothing once the lookups have ended.
    git_watcher_ = std::make_unique<FileWatcher>(
        [this, self = std::weak_ptr<HistoryLookups*>(self_)](FileEvents events) {
          bool moved = false;
          for (const auto* set : {&events.changed, &events.deleted})
            for (const std::string& p : *set) moved |= moves_history(p);
          if (!moved || stopping_) return;
          post_([self] {
            auto alive = self.lock();
            if (!alive) return;
            HistoryLookups& lookups = **alive;
            spdlog::debug("git HEAD or refs changed: history is checked again");
            lookups.refs_changed_ = true;
            lookups.disk_changed();
          });
        });
  }
  git_watcher_->watch(dirs);
}

HistoryLookups::Known& HistoryLookups::known(const EnvironmentState& env) {
  return known_[key_of(env.environment)];
}

void HistoryLookups::annotate(const EnvironmentState& env, Finding& finding) {
  if (history::is_several_heads_error(finding)) {
    if (const history::DeletedMerge* m = deleted_merge(env))
      history::note_deleted_merge(finding, *m);
    return;
  }
  if (finding.code != codes::kMissingRevision || finding.revisions.size() < 2 ||
      defined_outside(finding))
    return;
  const history::MissingRevisionHistory* h = missing(env, finding.revisions[1]);
  if (!h || !history::worth_reporting(*h, finding.suggestion.has_value())) return;
  const std::string text = history::describe(*h);
  add_detail(finding, "Git history: " + text + ".");
  Location where = finding.location;
  if (h->fate == history::Fate::Renamed) {
    if (std::optional<fs::path> root = top(env)) {
      std::error_code ec;
      const fs::path moved = *root / platform::utf8_path(h->renamed_to);
      if (fs::is_regular_file(moved, ec)) where = Location{normal_path(moved), SourceRange{}};
    }
  }
  finding.related.push_back({where, "git history of " + h->id + ": " + text});
}

const history::MissingRevisionHistory* HistoryLookups::missing(const EnvironmentState& env,
                                                               const std::string& id) {
  Known& k = known(env);
  auto it = k.missing.find(id);
  if (it != k.missing.end() && !k.unavailable) return &it->second;
  // Kept while unavailable: the retry asks for it.
  if (k.wanted.insert(id).second) schedule();
  return nullptr;
}

const history::DeletedMerge* HistoryLookups::deleted_merge(const EnvironmentState& env) {
  Known& k = known(env);
  const std::vector<std::string>& heads = env.graph.heads;
  if (k.merge_heads == heads && !k.unavailable) return k.merge ? &*k.merge : nullptr;
  // Kept while unavailable: the retry asks for it.
  if (k.want_merge_heads != heads) {
    k.want_merge_heads = heads;
    schedule();
  }
  return nullptr;
}

HistoryLookups::Added HistoryLookups::added(const EnvironmentState& env, const std::string& path) {
  Known& k = known(env);
  Added answer;
  if (k.unavailable) {
    k.want_added = true;
    return answer;
  }
  if (!k.added || !k.scope) {
    if (!k.want_added) schedule();
    k.want_added = true;
    answer.state = Added::State::Pending;
    return answer;
  }
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(platform::utf8_path(path), ec);
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

void HistoryLookups::schedule() {
  if (scheduled_) return;
  scheduled_ = true;
  post_([self = std::weak_ptr<HistoryLookups*>(self_)] {
    if (auto alive = self.lock()) {
      (*alive)->scheduled_ = false;
      (*alive)->flush();
    }
  });
}

void HistoryLookups::flush() {
  if (running_) return;
  std::vector<Job> jobs;
  // Known answers are checked again after any change of the workspace (a commit or a
  // checkout moves HEAD, and the files it touches change with it). Runs never overlap:
  // changes made during one are seen by the flush that publishing its results makes.
  const bool refresh = workspace_.generation() != checked_generation_ || disk_changed_;
  const Clock::time_point now = Clock::now();
  for (const auto& env : workspace_.environments()) {
    Known& k = known(*env);
    if (k.unavailable) {
      // Asked again only after a change, and not before the backoff has passed.
      if (!refresh || now < k.retry_at) continue;
      k.unavailable = false;
    }
    Job job;
    job.key = key_of(env->environment);
    job.environment = env->environment;
    job.ids.assign(k.wanted.begin(), k.wanted.end());
    job.added = k.want_added;
    job.merge_heads = k.want_merge_heads;
    if (refresh) {
      // Only the ids still missing are looked up again. Answers about ids that have since
      // been defined, or that no migration names any more, are dropped: a session of hours
      // would otherwise keep, and ask git again about, every id it ever saw missing.
      const std::set<std::string> still = missing_ids(env->graph);
      std::erase_if(k.missing, [&still](const auto& entry) { return !still.count(entry.first); });
      for (const auto& [id, _] : k.missing) job.ids.push_back(id);
      job.added |= k.added.has_value();
      if (job.merge_heads.empty() && k.merge_heads) job.merge_heads = *k.merge_heads;
    }
    k.wanted.clear();
    k.want_added = false;
    k.want_merge_heads.clear();
    if (!job.ids.empty() || job.added || !job.merge_heads.empty()) jobs.push_back(std::move(job));
  }
  if (refresh) {
    checked_generation_ = workspace_.generation();
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
  if (!job.merge_heads.empty()) {
    std::string why;  // set only when git fails; no merge found leaves it empty
    job.merge = cache.deleted_merge(*job.scope, job.merge_heads, &why);
    if (!why.empty()) {
      job.why = why;
      return;
    }
  }
  job.why.clear();
}

void HistoryLookups::start(std::vector<Job> jobs) {
  if (worker_.joinable()) worker_.join();  // it has posted its results already
  running_ = true;
  checked_generation_ = workspace_.generation();
  const bool forget = refs_changed_;
  refs_changed_ = false;
  worker_ = std::thread([this, forget, jobs = std::move(jobs)]() mutable {
    if (forget) cache_.forget();
    for (Job& job : jobs) {
      if (stopping_) break;
      run(cache_, job);
    }
    if (stopping_) return;
    post_([this, jobs = std::move(jobs)]() mutable { finish(std::move(jobs)); });
  });
}

void HistoryLookups::finish(std::vector<Job> jobs) {
  running_ = false;
  for (Job& job : jobs) {
    Known& k = known_[job.key];
    if (!job.why.empty()) {
      k.unavailable = true;
      k.backoff = k.backoff == Clock::duration{}
                      ? Clock::duration(kFirstRetry)
                      : std::min<Clock::duration>(k.backoff * 2, kLongestRetry);
      k.retry_at = Clock::now() + k.backoff;
      // One line per kind of reason: a monorepo outside git logs "not a repository" once.
      const bool no_repository = job.why.find("not inside a git repository") != std::string::npos;
      if (logged_.insert(no_repository ? "no repository" : job.why).second)
        spdlog::info("git history is not available ({}); answers leave it out", job.why);
      continue;
    }
    k.backoff = {};
    k.scope = job.scope;
    for (history::MissingRevisionHistory& h : job.missing) k.missing[h.id] = std::move(h);
    if (job.added_files) k.added = std::move(job.added_files);
    if (!job.merge_heads.empty()) {
      k.merge_heads = std::move(job.merge_heads);
      k.merge = std::move(job.merge);
    }
  }
  watch_repositories();
  if (answered_) answered_();
  schedule();  // what was asked, or changed, while this run was under way
}

}  // namespace alembic::server
