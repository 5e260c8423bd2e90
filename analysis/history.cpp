#include "analysis/history.h"

#include <algorithm>

#include "analysis/findings.h"
#include "analysis/git.h"
#include "analysis/parser.h"

namespace alembic::history {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kLogTimeout{20000};
constexpr size_t kMaxRefCommits = 50;  // branches and tags searched, most recent first

// One file change of a commit, from `git log --raw -z`.
struct Change {
  char status = 0;  ///< A, D, M, R, C, T
  std::string old_blob;
  std::string new_blob;
  std::string path;      ///< the old path for R / C
  std::string new_path;  ///< R / C only
};

struct LogCommit {
  Commit commit;
  std::string first_parent;
  std::vector<Change> changes;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Raw records: ":<mode> <mode> <blob> <blob> <status>\0<path>\0[<new path>\0]".
std::vector<Change> parse_raw(const std::vector<std::string>& tokens, size_t from) {
  std::vector<Change> changes;
  for (size_t i = from; i < tokens.size(); ++i) {
    std::string head = tokens[i];
    while (!head.empty() && head.front() == '\n') head.erase(0, 1);
    if (head.empty() || head.front() != ':') continue;
    const std::vector<std::string> fields = split(head.substr(1), ' ');
    if (fields.size() < 5 || fields[4].empty() || i + 1 >= tokens.size()) continue;
    Change c;
    c.status = fields[4][0];
    c.old_blob = fields[2];
    c.new_blob = fields[3];
    c.path = tokens[++i];
    if ((c.status == 'R' || c.status == 'C') && i + 1 < tokens.size()) c.new_path = tokens[++i];
    changes.push_back(std::move(c));
  }
  return changes;
}

constexpr const char* kLogFormat = "--format=%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s";

std::vector<LogCommit> parse_log(const std::string& out) {
  std::vector<LogCommit> commits;
  for (const std::string& chunk : split(out, '\x1e')) {
    const size_t header_end = chunk.find('\0');
    const std::vector<std::string> fields = split(chunk.substr(0, header_end), '\x1f');
    if (fields.size() < 6) continue;
    LogCommit c;
    c.commit = {fields[0], fields[2], fields[3], fields[4], fields[5]};
    c.first_parent = fields[1].substr(0, fields[1].find(' '));
    if (header_end != std::string::npos)
      c.changes = parse_raw(split(chunk.substr(header_end + 1), '\0'), 0);
    commits.push_back(std::move(c));
  }
  return commits;
}

std::string failure(const git::RunResult& r) {
  if (!r.started) return r.error;
  if (r.timed_out) return "git did not answer in time";
  std::string line = r.err.substr(0, r.err.find('\n'));
  if (line.rfind("fatal: ", 0) == 0) line = line.substr(7);
  return "git failed: " + line;
}

std::vector<std::string> pathspecs(const Scope& scope) {
  std::vector<std::string> out;
  for (const std::string& l : scope.locations) out.push_back(l.empty() ? "." : l);
  return out;
}

std::string revision_defined_by(std::string_view source) {
  const ParsedMigration parsed = parse_migration(source);
  const AssignedValue& r = parsed.revision;
  if (!r.present || r.is_sequence || r.strings.size() != 1 || !r.unresolved.empty()) return "";
  return r.strings[0].text;
}

std::string file_of(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

std::string quote_subject(const Commit& c) {
  return "\"" + c.subject + "\"";
}

std::string by_line(const Commit& c) {
  return "commit " + c.short_id() + " by " + c.author + " on " + c.day() + " (" + quote_subject(c) +
         ")";
}

std::string refs_list(const std::vector<RefCopy>& refs) {
  std::string out;
  for (const RefCopy& r : refs) out += (out.empty() ? "" : ", ") + r.ref;
  return out;
}

}  // namespace

const char* fate_name(Fate fate) {
  switch (fate) {
    case Fate::InHead:
      return "in-head";
    case Fate::Deleted:
      return "deleted";
    case Fate::Renamed:
      return "renamed";
    case Fate::OnOtherRefs:
      return "on-other-refs";
    case Fate::NotFound:
      return "not-found";
  }
  return "not-found";
}

std::string describe(const MissingRevisionHistory& h) {
  std::string text;
  switch (h.fate) {
    case Fate::InHead:
      text = h.path +
             " defines it in HEAD but was deleted or changed in the work tree (not committed)";
      break;
    case Fate::Deleted:
      text = "deleted in " + by_line(*h.commit) + ", which removed " + h.path;
      break;
    case Fate::Renamed:
      text = h.path + " defined it until " + by_line(*h.commit) + " renamed it to " + h.renamed_to;
      break;
    case Fate::OnOtherRefs:
      return "never in this branch's history; " + h.path + " defines it on " + refs_list(h.refs);
    case Fate::NotFound:
      text = "no commit in this branch's history defines it";
      if (h.shallow)
        text +=
            " (a shallow clone: older commits are missing; `git fetch --unshallow` fetches them)";
      break;
  }
  if (!h.refs.empty()) text += "; also on " + refs_list(h.refs);
  return text;
}

bool worth_reporting(const MissingRevisionHistory& h, bool finding_has_suggestion) {
  return !(finding_has_suggestion && h.fate == Fate::NotFound && h.refs.empty() && !h.shallow);
}

bool Scope::holds(const std::string& path) const {
  for (const std::string& location : locations) {
    const std::string prefix = location.empty() ? "" : location + "/";
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = path.substr(prefix.size());
    if (!recursive && rest.find('/') != std::string::npos) continue;
    if (("/" + rest).find("/__pycache__/") != std::string::npos) continue;
    if (is_migration_file_name(file_of(rest))) return true;
  }
  return false;
}

std::optional<Scope> scope_of(const Environment& env, std::string* why) {
  if (env.version_locations.empty()) {
    if (why) *why = "the environment has no version location";
    return std::nullopt;
  }
  std::error_code ec;
  // The nearest existing directory: a version location may not exist yet.
  fs::path start = fs::absolute(env.version_locations.front(), ec).lexically_normal();
  while (!fs::is_directory(start, ec) && start.has_parent_path() && start.parent_path() != start)
    start = start.parent_path();
  std::optional<fs::path> top = git::toplevel(start, why);
  if (!top) return std::nullopt;
  Scope scope;
  scope.top = *top;
  scope.recursive = env.recursive_version_locations;
  const fs::path real_top = fs::weakly_canonical(*top, ec);
  for (const fs::path& location : env.version_locations) {
    const fs::path rel = fs::weakly_canonical(location, ec).lexically_relative(real_top);
    if (rel.empty() || *rel.begin() == "..") continue;  // outside this repository
    const std::string text = rel.generic_string();
    scope.locations.push_back(text == "." ? "" : text);
  }
  if (scope.locations.empty()) {
    if (why) *why = "the version locations are outside the git repository " + top->string();
    return std::nullopt;
  }
  return scope;
}

// What is known about one scope at one HEAD.
struct History::Index {
  std::string head;  ///< "" for a repository without commits
  bool shallow = false;
  std::vector<LogCommit> log;  ///< newest first, changes inside the scope only
  std::optional<AddedFiles> added;
  std::vector<std::pair<std::string, std::string>> refs;  ///< (short name, commit), not HEAD's
  std::map<std::string, MissingRevisionHistory> missing;
};

History::History(const std::atomic<bool>* cancel) : cancel_(cancel) {}
History::~History() = default;

void History::forget() {
  std::lock_guard lock(mutex_);
  indexes_.clear();
}

std::shared_ptr<History::Index> History::index_for(const Scope& scope, std::string* why) {
  std::string key = scope.top.string() + (scope.recursive ? "\1" : "\2");
  for (const std::string& l : scope.locations) {
    key += '\0';
    key += l;
  }
  const std::string head = git::resolve_commit(scope.top, "HEAD").value_or("");
  auto it = indexes_.find(key);
  if (it != indexes_.end() && it->second->head == head) return it->second;

  auto index = std::make_shared<Index>();
  index->head = head;
  git::RunResult shallow = git::run(scope.top, {"rev-parse", "--is-shallow-repository"}, {},
                                    git::kDefaultTimeout, cancel_);
  if (!shallow.started || shallow.timed_out) {
    if (why) *why = failure(shallow);
    return nullptr;
  }
  index->shallow = shallow.out.rfind("true", 0) == 0;
  if (!head.empty()) {
    std::vector<std::string> args = {"-c",
                                     "log.showSignature=false",
                                     "--literal-pathspecs",
                                     "log",
                                     "-M",
                                     "--raw",
                                     "--no-abbrev",
                                     "-z",
                                     "--no-color",
                                     kLogFormat,
                                     head,
                                     "--"};
    for (const std::string& p : pathspecs(scope)) args.push_back(p);
    git::RunResult log = git::run(scope.top, args, {}, kLogTimeout, cancel_);
    if (!log.ok()) {
      if (why) *why = failure(log);
      return nullptr;
    }
    index->log = parse_log(log.out);
  }
  git::RunResult refs =
      git::run(scope.top,
               {"for-each-ref", "--sort=-committerdate",
                "--format=%(refname)%09%(refname:short)%09%(objectname)%09%(objecttype)%09%("
                "*objectname)%09%(*objecttype)",
                "refs/heads", "refs/remotes", "refs/tags"},
               {}, git::kDefaultTimeout, cancel_);
  if (!refs.ok()) {
    if (why) *why = failure(refs);
    return nullptr;
  }
  for (const std::string& line : split(refs.out, '\n')) {
    const std::vector<std::string> f = split(line, '\t');
    if (f.size() < 6) continue;
    if (f[0].rfind("refs/remotes/", 0) == 0 && f[0].ends_with("/HEAD")) continue;
    const bool peeled = !f[4].empty();
    if ((peeled ? f[5] : f[3]) != "commit") continue;
    const std::string commit = peeled ? f[4] : f[2];
    if (commit == head) continue;  // this branch itself
    index->refs.emplace_back(f[1], commit);
  }
  indexes_[key] = index;
  return index;
}

std::optional<AddedFiles> History::added(const Scope& scope, std::string* why) {
  std::lock_guard lock(mutex_);
  std::shared_ptr<Index> index = index_for(scope, why);
  if (!index) return std::nullopt;
  if (index->added) return index->added;
  AddedFiles added;
  added.shallow = index->shallow;
  std::map<std::string, Commit>& files = added.by_path;
  for (auto c = index->log.rbegin(); c != index->log.rend(); ++c) {  // oldest first
    for (const Change& change : c->changes) {
      if (change.status == 'A' || change.status == 'C') {
        const std::string& path = change.status == 'C' ? change.new_path : change.path;
        if (scope.holds(path)) files[path] = c->commit;
      } else if (change.status == 'R') {
        auto old = files.find(change.path);
        Commit origin = old != files.end() ? old->second : c->commit;
        if (old != files.end()) files.erase(old);
        if (scope.holds(change.new_path)) files[change.new_path] = origin;
      } else if (change.status == 'D') {
        files.erase(change.path);
      }
    }
  }
  index->added = std::move(added);
  return index->added;
}

std::optional<std::vector<MissingRevisionHistory>> History::missing(
    const Scope& scope, const std::vector<std::string>& ids, std::string* why) {
  std::lock_guard lock(mutex_);
  std::shared_ptr<Index> index = index_for(scope, why);
  if (!index) return std::nullopt;
  std::vector<std::string> todo;
  for (const std::string& id : ids)
    if (!id.empty() && !index->missing.count(id) &&
        std::find(todo.begin(), todo.end(), id) == todo.end())
      todo.push_back(id);

  if (!todo.empty()) {
    // 1. Which trees (HEAD, other refs) define the ids: one `git grep` over all of them.
    std::vector<std::string> trees;
    if (!index->head.empty()) trees.push_back(index->head);
    for (const auto& [name, commit] : index->refs) {
      if (trees.size() > kMaxRefCommits) break;
      if (std::find(trees.begin(), trees.end(), commit) == trees.end()) trees.push_back(commit);
    }
    std::map<std::string, std::vector<std::pair<std::string, std::string>>>
        defined;                                                       // id -> (tree, path)
    std::map<std::pair<std::string, std::string>, std::string> texts;  // (tree, path) -> text
    if (!trees.empty()) {
      std::vector<std::string> args = {"--literal-pathspecs", "grep", "-z", "-l", "-F",
                                       "--no-color"};
      for (const std::string& id : todo) {
        args.push_back("-e");
        args.push_back(id);
      }
      args.insert(args.end(), trees.begin(), trees.end());
      args.push_back("--");
      for (const std::string& p : pathspecs(scope)) args.push_back(p);
      git::RunResult grep = git::run(scope.top, args, {}, kLogTimeout, cancel_);
      if (!grep.started || grep.timed_out || (grep.exit_code != 0 && grep.exit_code != 1)) {
        if (why) *why = failure(grep);
        return std::nullopt;
      }
      std::vector<std::pair<std::string, std::string>> hits;
      std::vector<std::string> objects;
      for (const std::string& name : split(grep.out, '\0')) {
        const size_t colon = name.find(':');
        if (colon == std::string::npos) continue;
        std::string path = name.substr(colon + 1);
        if (!scope.holds(path)) continue;
        hits.emplace_back(name.substr(0, colon), std::move(path));
        objects.push_back(name);
      }
      std::optional<std::vector<std::string>> contents = git::read_blobs(scope.top, objects, why);
      if (!contents) return std::nullopt;
      for (size_t i = 0; i < hits.size(); ++i) {
        const std::string id = revision_defined_by((*contents)[i]);
        if (std::find(todo.begin(), todo.end(), id) == todo.end()) continue;
        defined[id].push_back(hits[i]);
        texts[hits[i]] = std::move((*contents)[i]);
      }
    }

    // 2. The revision each deleted or renamed file defined (blobs never change: cached).
    std::vector<std::string> unread;
    for (const LogCommit& c : index->log)
      for (const Change& change : c.changes) {
        if (change.status != 'D' && change.status != 'R') continue;
        if (!scope.holds(change.path)) continue;
        for (const std::string* blob : {&change.old_blob, &change.new_blob})
          if (blob->find_first_not_of('0') != std::string::npos && !blob_revisions_.count(*blob) &&
              std::find(unread.begin(), unread.end(), *blob) == unread.end())
            unread.push_back(*blob);
      }
    std::optional<std::vector<std::string>> blobs = git::read_blobs(scope.top, unread, why);
    if (!blobs) return std::nullopt;
    for (size_t i = 0; i < unread.size(); ++i)
      blob_revisions_[unread[i]] = revision_defined_by((*blobs)[i]);

    for (const std::string& id : todo) {
      MissingRevisionHistory h;
      h.id = id;
      h.shallow = index->shallow;
      const auto& where = defined[id];
      for (const auto& [name, commit] : index->refs) {
        if (h.refs.size() >= kMaxRefs) break;
        for (const auto& [tree, path] : where)
          if (tree == commit) {
            h.refs.push_back({name, commit, path, texts[{tree, path}]});
            break;
          }
      }
      const auto in_head = std::find_if(where.begin(), where.end(),
                                        [&](const auto& w) { return w.first == index->head; });
      const LogCommit* removal = nullptr;
      const Change* removed = nullptr;
      for (const LogCommit& c : index->log) {
        for (const Change& change : c.changes) {
          if ((change.status != 'D' && change.status != 'R') || !scope.holds(change.path)) continue;
          if (blob_revisions_[change.old_blob] != id) continue;
          // A rename keeping the id inside the scope did not remove it.
          if (change.status == 'R' && scope.holds(change.new_path) &&
              blob_revisions_[change.new_blob] == id)
            continue;
          removal = &c;
          removed = &change;
          break;
        }
        if (removal) break;
      }
      if (in_head != where.end()) {
        h.fate = Fate::InHead;
        h.path = in_head->second;
        h.restore_from = index->head;
        h.content = texts[*in_head];
      } else if (removal) {
        h.fate = removed->status == 'R' ? Fate::Renamed : Fate::Deleted;
        h.path = removed->path;
        h.renamed_to = removed->new_path;
        h.commit = removal->commit;
        h.restore_from = removal->first_parent;
        std::optional<std::vector<std::string>> text =
            git::read_blobs(scope.top, {removed->old_blob}, why);
        if (!text) return std::nullopt;
        h.content = std::move(text->front());
        if (h.fate == Fate::Deleted) {
          // Inside the scope a move out looks like a deletion: ask about the whole tree.
          git::RunResult tree = git::run(scope.top,
                                         {"diff-tree", "-r", "-M", "--raw", "--no-abbrev", "-z",
                                          "--no-commit-id", removal->commit.id},
                                         {}, git::kDefaultTimeout, cancel_);
          if (tree.ok())
            for (const Change& change : parse_raw(split(tree.out, '\0'), 0))
              if (change.status == 'R' && change.path == h.path) {
                h.fate = Fate::Renamed;
                h.renamed_to = change.new_path;
              }
        }
      } else if (!h.refs.empty()) {
        h.fate = Fate::OnOtherRefs;
        h.path = h.refs.front().path;
        h.restore_from = h.refs.front().commit;
        h.content = h.refs.front().content;
      }
      index->missing[id] = std::move(h);
    }
  }
  std::vector<MissingRevisionHistory> out;
  for (const std::string& id : ids) {
    auto it = index->missing.find(id);
    if (it != index->missing.end()) {
      out.push_back(it->second);
    } else {
      out.push_back({});
      out.back().id = id;
      out.back().shallow = index->shallow;
    }
  }
  return out;
}

std::string describe(const DeletedMerge& m) {
  std::string joined;
  for (const std::string& id : m.joined) joined += (joined.empty() ? "" : ", ") + id;
  return "merge " + m.id + " (" + m.path + "), which joined " + joined + ", was deleted in " +
         by_line(m.commit);
}

bool is_several_heads_error(const Finding& f) {
  return f.code == codes::kMultipleHeads && f.severity == Severity::Error;
}

void note_deleted_merge(Finding& f, const DeletedMerge& m) {
  const std::string sentence = "The merge that joined them is gone: " + describe(m) + ".";
  add_detail(f, sentence);
  f.related.push_back({f.location, sentence});
}

std::optional<DeletedMerge> History::deleted_merge(const Scope& scope,
                                                   const std::vector<std::string>& heads,
                                                   std::string* why) {
  constexpr size_t kMaxDeletedFiles = 200;
  std::lock_guard lock(mutex_);
  std::shared_ptr<Index> index = index_for(scope, why);
  if (!index) return std::nullopt;
  std::vector<std::pair<const LogCommit*, const Change*>> deletions;  // newest first
  std::vector<std::string> blobs;
  for (const LogCommit& c : index->log) {
    for (const Change& change : c.changes) {
      if (change.status != 'D' || !scope.holds(change.path) || deletions.size() >= kMaxDeletedFiles)
        continue;
      deletions.emplace_back(&c, &change);
      blobs.push_back(change.old_blob);
    }
  }
  if (deletions.empty()) return std::nullopt;
  std::optional<std::vector<std::string>> texts = git::read_blobs(scope.top, blobs, why);
  if (!texts) return std::nullopt;
  for (size_t i = 0; i < deletions.size(); ++i) {
    const ParsedMigration parsed = parse_migration((*texts)[i]);
    std::vector<std::string> joined;
    for (const StringValue& parent : parsed.down_revision.strings)
      if (std::find(heads.begin(), heads.end(), parent.text) != heads.end())
        joined.push_back(parent.text);
    if (joined.size() < 2 || !parsed.revision.present || parsed.revision.strings.size() != 1)
      continue;
    std::sort(joined.begin(), joined.end());
    return DeletedMerge{parsed.revision.strings.front().text, deletions[i].second->path,
                        deletions[i].first->commit, std::move(joined)};
  }
  return std::nullopt;
}

}  // namespace alembic::history
