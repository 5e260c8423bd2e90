// History-aware answers from git: which commit deleted or renamed the file that defined a
// missing revision, on which other refs it still exists, and which commit added a
// migration file. Built on analysis/git.h (the `git` executable, with timeouts); every
// answer is cached per HEAD commit, and everything degrades to a value saying why (no
// git, not a repository, a shallow clone).
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analysis/discovery.h"
#include "analysis/model.h"

namespace alembic::history {

/// One commit, as shown to people.
struct Commit {
  std::string id;  ///< full commit id
  std::string author;
  std::string email;
  std::string date;  ///< author date, strict ISO 8601 (2024-01-02T03:04:05+00:00)
  std::string subject;

  std::string short_id() const { return id.substr(0, 10); }
  std::string day() const { return date.substr(0, 10); }  ///< 2024-01-02
};

/// What became of the file that defined a revision id missing from the work tree.
enum class Fate {
  InHead,       ///< HEAD still has it: deleted or changed in the work tree, not committed
  Deleted,      ///< a commit of HEAD's history deleted it
  Renamed,      ///< a commit renamed or moved it, and the new file no longer defines the id here
  OnOtherRefs,  ///< never on this branch; other branches or tags define it
  NotFound,     ///< no commit reachable here defines it
};

/// "in-head", "deleted", "renamed", "on-other-refs", "not-found".
const char* fate_name(Fate fate);

/// A branch or tag whose tree defines the id.
struct RefCopy {
  std::string ref;     ///< short name: main, origin/feature, v1.2
  std::string commit;  ///< the commit the ref points to
  std::string path;    ///< the defining file there, relative to the repository's top
  std::string content;
};

/// The history of one missing revision id.
struct MissingRevisionHistory {
  std::string id;
  Fate fate = Fate::NotFound;
  std::string path;              ///< the defining file (relative to the top), when found
  std::string renamed_to;        ///< Renamed: where it went (relative to the top)
  std::optional<Commit> commit;  ///< Deleted / Renamed: the commit that did it
  std::string restore_from;      ///< a commit whose tree holds `path` (InHead, Deleted, Renamed)
  std::string content;           ///< `path` at restore_from: what a restore writes
  std::vector<RefCopy> refs;     ///< other refs defining the id (at most kMaxRefs)
  bool shallow = false;          ///< the repository is a shallow clone: history is cut short
};

inline constexpr size_t kMaxRefs = 5;

/// One sentence for messages and reports: "deleted in commit 1a2b3c4d5e by Ann on
/// 2024-01-02 ("Drop users"), which removed migrations/versions/ab_x.py".
std::string describe(const MissingRevisionHistory& h);

/// Whether `h` tells more than a missing-revision finding with a "did you mean" already
/// does: "no commit defines it" next to a suggested fix of a typo is noise.
bool worth_reporting(const MissingRevisionHistory& h, bool finding_has_suggestion);

/// Where an environment's migrations live inside a repository.
struct Scope {
  std::filesystem::path top;           ///< the work tree's top directory
  std::vector<std::string> locations;  ///< version locations relative to top ('/', "" = top)
  bool recursive = false;              ///< recursive_version_locations

  /// True when a repository path (relative to top) is a migration file of this scope.
  bool holds(const std::string& path) const;
};

/// The repository scope of an environment's version locations. nullopt with `why` when
/// git is missing, the locations are in no repository, or outside the one of the first.
std::optional<Scope> scope_of(const Environment& env, std::string* why);

/// The commit that added each migration file of a scope, as of HEAD (following renames
/// inside the scope). Keys are paths relative to the top; a file absent was never committed.
struct AddedFiles {
  std::map<std::string, Commit> by_path;
  bool shallow = false;  ///< the earliest commits are a shallow clone's boundary
};

/// A merge migration that a commit of HEAD's history deleted, whose parents include
/// several of today's heads: the merge that joined them is gone.
struct DeletedMerge {
  std::string id;                   ///< the deleted merge's revision
  std::string path;                 ///< its file, relative to the top
  Commit commit;                    ///< the commit that deleted it
  std::vector<std::string> joined;  ///< the heads it joined (sorted)
};

/// "merge abc (migrations/versions/abc_merge.py), which joined b, c, was deleted in commit
/// 1a2b3c4d5e by Ann on 2024-01-02 ("Drop merge")".
std::string describe(const DeletedMerge& m);

/// True for a finding a deleted merge may explain: several heads, reported as an error.
bool is_several_heads_error(const Finding& f);

/// Says on a several-heads finding that the merge that joined them is gone (a sentence
/// added to the message, and the same as related information on the finding's place).
void note_deleted_merge(Finding& f, const DeletedMerge& m);

/// Answers history questions about repositories, caching per (scope, HEAD commit).
/// Thread-safe; every call may run git, so call it off any latency-sensitive thread.
class History {
 public:
  /// `cancel`, when given, stops a running git command soon after it becomes true (the
  /// call then fails with "cancelled").
  explicit History(const std::atomic<bool>* cancel = nullptr);
  ~History();
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  /// The history of each id (same order). nullopt with `why` when git fails.
  std::optional<std::vector<MissingRevisionHistory>> missing(const Scope& scope,
                                                             const std::vector<std::string>& ids,
                                                             std::string* why);

  /// Who added each migration file of `scope`. nullopt with `why` when git fails.
  std::optional<AddedFiles> added(const Scope& scope, std::string* why);

  /// Forgets what was read per HEAD: branches or tags moved while HEAD stayed (a branch
  /// created or deleted, a fetch), so the refs must be listed again.
  void forget();

  /// The newest deleted merge (see DeletedMerge) that joined two or more of `heads`;
  /// nullopt when there is none or git fails (`why` says which). Reads at most the last
  /// 200 deleted migration files.
  std::optional<DeletedMerge> deleted_merge(const Scope& scope,
                                            const std::vector<std::string>& heads,
                                            std::string* why);

 private:
  struct Index;
  std::shared_ptr<Index> index_for(const Scope& scope, std::string* why);

  const std::atomic<bool>* cancel_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Index>> indexes_;  ///< by scope key
  std::map<std::string, std::string> blob_revisions_;      ///< blob id -> revision it defines
};

}  // namespace alembic::history
