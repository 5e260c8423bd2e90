// Git history for the language server (analysis/history.h): lookups run on a background
// thread, results come back to the owner's thread (Core::Post) and whoever shows the
// findings they change is told. Handlers only read what is already known, so typing never
// waits for git; what they ask for is looked up once the current task is done (the one
// place that starts lookups). Without git or outside a repository: one log line, plain
// answers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "analysis/history.h"
#include "analysis/model.h"
#include "platform/watcher.h"

namespace alembic::server {

using platform::FileWatcher;

class Workspace;
struct EnvironmentState;

class HistoryLookups {
 public:
  using Post = std::function<void(std::function<void()>)>;
  /// Answers about the environments of `workspace`; `post` runs a task on the owner's
  /// thread; `answered` is called there when new answers may change findings.
  HistoryLookups(const Workspace& workspace, Post post, std::function<void()> answered);
  /// Waits for a running lookup (git runs have timeouts).
  ~HistoryLookups();
  HistoryLookups(const HistoryLookups&) = delete;
  HistoryLookups& operator=(const HistoryLookups&) = delete;

  /// Adds what git history says to a missing-revision finding of `env` (a sentence in the
  /// message, a related location), and to a several-heads error the merge that joined
  /// them and was deleted (history::note_deleted_merge); when not known yet, asks for it.
  void annotate(const EnvironmentState& env, Finding& finding);

  /// The workspace changed: known answers are checked again (a commit or a checkout
  /// moves HEAD, and the files it touches change with it).
  void workspace_changed() { schedule(); }
  /// Files changed on disk (watched-file events): known answers are re-checked even if
  /// no graph changed (a commit that only moves HEAD).
  void disk_changed() {
    disk_changed_ = true;
    schedule();
  }

  /// The known history of missing id `id` in `env`, or nullptr (then asked for).
  const history::MissingRevisionHistory* missing(const EnvironmentState& env,
                                                 const std::string& id);

  /// Who added a migration file (absolute path) of `env`.
  struct Added {
    enum class State { Unavailable, Pending, Uncommitted, Known } state = State::Unavailable;
    history::Commit commit;
    bool shallow = false;  ///< the commit is a shallow clone's boundary, maybe not the first
  };
  Added added(const EnvironmentState& env, const std::string& path);

  /// True once git turned out unable to answer for `env` (no git, no repository).
  bool unavailable(const EnvironmentState& env) const;

  /// The top of the git work tree holding `env`'s migrations, once a lookup found it.
  std::optional<std::filesystem::path> top(const EnvironmentState& env) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Known {
    /// git could not answer; asked again on a change once `retry_at` has passed, waiting
    /// twice as long after each failure (a repository may be created, git installed).
    bool unavailable = false;
    Clock::time_point retry_at;
    Clock::duration backoff{};
    std::optional<history::Scope> scope;
    std::map<std::string, history::MissingRevisionHistory> missing;
    std::optional<history::AddedFiles> added;
    std::set<std::string> wanted;  ///< ids asked for, not yet looked up
    bool want_added = false;
    /// The deleted merge that joined heads `merge_heads` (nullopt: none), once looked up.
    std::optional<std::vector<std::string>> merge_heads;
    std::optional<history::DeletedMerge> merge;
    std::vector<std::string> want_merge_heads;  ///< heads asked about, not yet looked up
  };
  struct Job {
    std::string key;
    Environment environment;
    std::vector<std::string> ids;
    bool added = false;
    std::vector<std::string> merge_heads;  ///< non-empty: look for a deleted merge of these
    // Results:
    std::string why;  ///< non-empty: git could not answer
    std::optional<history::Scope> scope;
    std::vector<history::MissingRevisionHistory> missing;
    std::optional<history::AddedFiles> added_files;
    std::optional<history::DeletedMerge> merge;
  };

  Known& known(const EnvironmentState& env);
  /// The known deleted merge that joined the heads of `env`, or nullptr (then asked for).
  const history::DeletedMerge* deleted_merge(const EnvironmentState& env);
  /// Runs flush() on the owner's thread once the current task is done (once however
  /// often it is asked meanwhile).
  void schedule();
  /// Starts the lookups asked for since the last call, on the background thread (one at
  /// a time; asks made meanwhile wait for it), re-checking known answers after the
  /// workspace or the disk changed.
  void flush();
  /// Watches HEAD, packed-refs and refs/ of every repository found: a checkout, commit,
  /// fetch or branch deletion re-checks the answers even when no watched file changes.
  void watch_repositories();
  void start(std::vector<Job> jobs);
  void finish(std::vector<Job> jobs);
  static void run(history::History& cache, Job& job);

  const Workspace& workspace_;
  Post post_;
  std::function<void()> answered_;
  bool scheduled_ = false;
  /// Held by posted tasks (weakly): a task posted before the lookups end does nothing.
  std::shared_ptr<HistoryLookups*> self_ = std::make_shared<HistoryLookups*>(this);
  std::atomic<bool> stopping_{false};   ///< set when the session ends: git is stopped
  history::History cache_{&stopping_};  ///< used by the worker only
  std::map<std::string, Known> known_;  ///< by environment key (its version locations)
  std::set<std::string> logged_;        ///< reasons already logged
  std::thread worker_;
  bool running_ = false;
  uint64_t checked_generation_ = 0;
  bool disk_changed_ = false;
  bool refs_changed_ = false;  ///< the next run forgets what was read per HEAD
  std::unique_ptr<FileWatcher> git_watcher_;
  std::vector<std::pair<std::filesystem::path, bool>> git_watched_;
};

}  // namespace alembic::server
