// analysis/history on real temporary git repositories: a parent deleted in a commit, a
// parent renamed or moved away, a parent only on another branch, a deletion not yet
// committed, a shallow clone, no repository at all, and no git on PATH.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "analysis/git.h"
#include "analysis/history.h"

using namespace alembic;
namespace fs = std::filesystem;

namespace {

std::string migration(const std::string& rev, const std::string& down) {
  return "\"\"\"" + rev + "\n\nRevision ID: " + rev + "\nRevises: " + down +
         "\n\"\"\"\nrevision = '" + rev +
         "'\ndown_revision = " + (down.empty() ? "None" : "'" + down + "'") + "\n";
}

fs::path temp_dir(const char* prefix) {
  std::string tmpl = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  return fs::canonical(mkdtemp(tmpl.data()));
}

struct Repo {
  fs::path path;
  explicit Repo(fs::path p = temp_dir("history")) : path(std::move(p)) {
    // Fixed identities and dates, so every answer is the same on every run.
    setenv("GIT_COMMITTER_NAME", "Committer", 1);
    setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
    setenv("GIT_COMMITTER_DATE", "2024-01-01T00:00:00+00:00", 1);
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
  }
  ~Repo() { fs::remove_all(path); }
  git::RunResult git(std::vector<std::string> args) const {
    std::vector<std::string> full = {
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
        "-c", "user.name=Default",       "-c", "user.email=d@example.com"};
    full.insert(full.end(), args.begin(), args.end());
    git::RunResult r = git::run(path, full);
    EXPECT_TRUE(r.ok()) << "git failed: " << r.err;
    return r;
  }
  void init() const { git({"init", "-q"}); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
  std::string commit(const std::string& subject, const std::string& author,
                     const std::string& date) const {
    setenv("GIT_AUTHOR_NAME", author.c_str(), 1);
    setenv("GIT_AUTHOR_EMAIL", (author + "@example.com").c_str(), 1);
    setenv("GIT_AUTHOR_DATE", date.c_str(), 1);
    git({"add", "-A"});
    git({"commit", "-q", "-m", subject});
    return head();
  }
  std::string head() const {
    std::string id = git({"rev-parse", "HEAD"}).out;
    return id.substr(0, id.find('\n'));
  }
  Environment env() const {
    Environment e;
    e.name = "test";
    e.version_locations = {path / "migrations" / "versions"};
    return e;
  }
};

// a <- b on main, committed by Ann.
std::string base_history(const Repo& repo) {
  repo.init();
  repo.write("migrations/versions/aaa111_initial.py", migration("aaa111", ""));
  repo.write("migrations/versions/bbb222_users.py", migration("bbb222", "aaa111"));
  return repo.commit("Initial migrations", "Ann", "2024-02-01T10:00:00+00:00");
}

history::MissingRevisionHistory lookup(history::History& h, const Repo& repo,
                                       const std::string& id) {
  std::string why;
  auto scope = history::scope_of(repo.env(), &why);
  EXPECT_TRUE(scope) << why;
  if (!scope) return {};
  auto result = h.missing(*scope, {id}, &why);
  EXPECT_TRUE(result) << why;
  if (!result) return {};
  return result->front();
}

}  // namespace

TEST(History, ParentDeletedInACommit) {
  Repo repo;
  const std::string first = base_history(repo);
  fs::remove(repo.path / "migrations/versions/aaa111_initial.py");
  const std::string deleting =
      repo.commit("Drop the initial migration", "Bob", "2024-03-04T05:06:07+00:00");
  history::History h;
  auto found = lookup(h, repo, "aaa111");
  EXPECT_EQ(found.fate, history::Fate::Deleted);
  EXPECT_EQ(found.path, "migrations/versions/aaa111_initial.py");
  ASSERT_TRUE(found.commit);
  EXPECT_EQ(found.commit->id, deleting);
  EXPECT_EQ(found.commit->author, "Bob");
  EXPECT_EQ(found.commit->email, "Bob@example.com");
  EXPECT_EQ(found.commit->day(), "2024-03-04");
  EXPECT_EQ(found.commit->subject, "Drop the initial migration");
  EXPECT_EQ(found.restore_from, first);
  EXPECT_EQ(found.content, migration("aaa111", ""));
  EXPECT_FALSE(found.shallow);
  const std::string text = history::describe(found);
  EXPECT_NE(text.find("deleted in commit " + deleting.substr(0, 10) + " by Bob on 2024-03-04"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"Drop the initial migration\""), std::string::npos) << text;
}

TEST(History, ParentRenamedWithANewId) {
  Repo repo;
  repo.init();
  std::string body;
  for (int i = 0; i < 40; ++i)
    body += "# op.add_column('users', sa.Column('c" + std::to_string(i) + "'))\n";
  repo.write("migrations/versions/aaa111_initial.py", migration("aaa111", "") + body);
  repo.write("migrations/versions/bbb222_users.py", migration("bbb222", "aaa111"));
  repo.commit("Initial migrations", "Ann", "2024-02-01T10:00:00+00:00");
  repo.git(
      {"mv", "migrations/versions/aaa111_initial.py", "migrations/versions/ccc333_initial.py"});
  repo.write("migrations/versions/ccc333_initial.py", migration("ccc333", "") + body);
  const std::string renaming =
      repo.commit("Regenerate the initial migration", "Cy", "2024-03-05T00:00:00+00:00");
  history::History h;
  auto found = lookup(h, repo, "aaa111");
  EXPECT_EQ(found.fate, history::Fate::Renamed);
  EXPECT_EQ(found.path, "migrations/versions/aaa111_initial.py");
  EXPECT_EQ(found.renamed_to, "migrations/versions/ccc333_initial.py");
  ASSERT_TRUE(found.commit);
  EXPECT_EQ(found.commit->id, renaming);
  EXPECT_EQ(found.commit->author, "Cy");
  EXPECT_EQ(found.content, migration("aaa111", "") + body);
}

TEST(History, ParentMovedOutOfTheVersionLocation) {
  Repo repo;
  base_history(repo);
  fs::create_directories(repo.path / "archive");
  repo.git({"mv", "migrations/versions/aaa111_initial.py", "archive/aaa111_initial.py"});
  const std::string moving =
      repo.commit("Archive old migrations", "Dee", "2024-04-01T00:00:00+00:00");
  history::History h;
  auto found = lookup(h, repo, "aaa111");
  EXPECT_EQ(found.fate, history::Fate::Renamed);
  EXPECT_EQ(found.path, "migrations/versions/aaa111_initial.py");
  EXPECT_EQ(found.renamed_to, "archive/aaa111_initial.py");
  ASSERT_TRUE(found.commit);
  EXPECT_EQ(found.commit->id, moving);
  EXPECT_EQ(found.content, migration("aaa111", ""));
  EXPECT_NE(history::describe(found).find("renamed it to archive/aaa111_initial.py"),
            std::string::npos)
      << history::describe(found);
}

TEST(History, RenameInsideTheLocationKeepingTheIdIsNoRemoval) {
  Repo repo;
  base_history(repo);
  repo.git({"mv", "migrations/versions/aaa111_initial.py", "migrations/versions/aaa111_first.py"});
  repo.commit("Rename", "Eve", "2024-04-02T00:00:00+00:00");
  fs::remove(repo.path / "migrations/versions/aaa111_first.py");
  const std::string deleting = repo.commit("Delete", "Fay", "2024-04-03T00:00:00+00:00");
  history::History h;
  auto found = lookup(h, repo, "aaa111");
  EXPECT_EQ(found.fate, history::Fate::Deleted);
  EXPECT_EQ(found.path, "migrations/versions/aaa111_first.py");
  ASSERT_TRUE(found.commit);
  EXPECT_EQ(found.commit->id, deleting);
}

TEST(History, ParentOnlyOnAnotherBranch) {
  Repo repo;
  base_history(repo);
  repo.git({"checkout", "-q", "-b", "feature/orders"});
  repo.write("migrations/versions/fff666_orders.py", migration("fff666", "bbb222"));
  const std::string feature = repo.commit("Add orders", "Gus", "2024-05-01T00:00:00+00:00");
  repo.git({"tag", "v2"});
  repo.git({"checkout", "-q", "main"});
  history::History h;
  auto found = lookup(h, repo, "fff666");
  EXPECT_EQ(found.fate, history::Fate::OnOtherRefs);
  EXPECT_FALSE(found.commit);
  EXPECT_EQ(found.path, "migrations/versions/fff666_orders.py");
  EXPECT_EQ(found.restore_from, feature);
  EXPECT_EQ(found.content, migration("fff666", "bbb222"));
  std::vector<std::string> refs;
  for (const auto& r : found.refs) refs.push_back(r.ref);
  std::sort(refs.begin(), refs.end());
  EXPECT_EQ(refs, (std::vector<std::string>{"feature/orders", "v2"}));
  EXPECT_NE(history::describe(found).find("never in this branch's history"), std::string::npos);
}

TEST(History, UncommittedDeletionThenCommittedIsCachedPerHead) {
  Repo repo;
  const std::string first = base_history(repo);
  fs::remove(repo.path / "migrations/versions/aaa111_initial.py");
  history::History h;
  auto before = lookup(h, repo, "aaa111");
  EXPECT_EQ(before.fate, history::Fate::InHead);
  EXPECT_EQ(before.restore_from, first);
  EXPECT_EQ(before.content, migration("aaa111", ""));
  // A new HEAD is a new answer from the same History object.
  const std::string deleting = repo.commit("Remove it", "Hal", "2024-06-01T00:00:00+00:00");
  auto after = lookup(h, repo, "aaa111");
  EXPECT_EQ(after.fate, history::Fate::Deleted);
  ASSERT_TRUE(after.commit);
  EXPECT_EQ(after.commit->id, deleting);
}

TEST(History, NeverExisted) {
  Repo repo;
  base_history(repo);
  history::History h;
  auto found = lookup(h, repo, "zzz999");
  EXPECT_EQ(found.fate, history::Fate::NotFound);
  EXPECT_TRUE(found.refs.empty());
  EXPECT_EQ(history::describe(found), "no commit in this branch's history defines it");
  EXPECT_TRUE(history::worth_reporting(found, false));
  EXPECT_FALSE(history::worth_reporting(found, true));  // next to a "did you mean"
  found.shallow = true;
  EXPECT_TRUE(history::worth_reporting(found, true));
}

TEST(History, ShallowClone) {
  Repo origin;
  base_history(origin);
  fs::remove(origin.path / "migrations/versions/aaa111_initial.py");
  origin.commit("Drop it", "Ivy", "2024-07-01T00:00:00+00:00");

  Repo clone(temp_dir("history-clone"));
  fs::remove(clone.path);
  git::RunResult r = git::run(
      fs::temp_directory_path(),
      {"clone", "-q", "--depth", "1", "file://" + origin.path.string(), clone.path.string()});
  ASSERT_TRUE(r.ok()) << r.err;
  history::History h;
  auto found = lookup(h, clone, "aaa111");
  EXPECT_EQ(found.fate, history::Fate::NotFound);
  EXPECT_TRUE(found.shallow);
  EXPECT_NE(history::describe(found).find("shallow clone"), std::string::npos);
  // What the shallow history has: the boundary commit added every file.
  std::string why;
  auto scope = history::scope_of(clone.env(), &why);
  ASSERT_TRUE(scope) << why;
  auto added = h.added(*scope, &why);
  ASSERT_TRUE(added) << why;
  EXPECT_TRUE(added->shallow);
  ASSERT_TRUE(added->by_path.count("migrations/versions/bbb222_users.py"));
  EXPECT_EQ(added->by_path.at("migrations/versions/bbb222_users.py").author, "Ivy");
}

TEST(History, AddedFollowsRenamesInsideTheLocation) {
  Repo repo;
  base_history(repo);
  repo.write("migrations/versions/ddd444_orders.py", migration("ddd444", "bbb222"));
  const std::string adding = repo.commit("Add orders", "Jo", "2024-08-01T00:00:00+00:00");
  repo.git({"mv", "migrations/versions/bbb222_users.py", "migrations/versions/bbb222_people.py"});
  repo.commit("Rename users", "Kim", "2024-08-02T00:00:00+00:00");
  repo.write("migrations/versions/eee555_new.py", migration("eee555", "ddd444"));  // not committed
  std::string why;
  auto scope = history::scope_of(repo.env(), &why);
  ASSERT_TRUE(scope) << why;
  history::History h;
  auto added = h.added(*scope, &why);
  ASSERT_TRUE(added) << why;
  EXPECT_FALSE(added->shallow);
  ASSERT_TRUE(added->by_path.count("migrations/versions/ddd444_orders.py"));
  EXPECT_EQ(added->by_path.at("migrations/versions/ddd444_orders.py").id, adding);
  EXPECT_EQ(added->by_path.at("migrations/versions/ddd444_orders.py").author, "Jo");
  ASSERT_TRUE(added->by_path.count("migrations/versions/bbb222_people.py"));
  EXPECT_EQ(added->by_path.at("migrations/versions/bbb222_people.py").author, "Ann");
  EXPECT_FALSE(added->by_path.count("migrations/versions/bbb222_users.py"));
  EXPECT_FALSE(added->by_path.count("migrations/versions/eee555_new.py"));
}

TEST(History, NoRepository) {
  const fs::path dir = temp_dir("history-norepo");
  fs::create_directories(dir / "migrations" / "versions");
  setenv("GIT_CEILING_DIRECTORIES", dir.parent_path().c_str(), 1);
  Environment env;
  env.version_locations = {dir / "migrations" / "versions"};
  std::string why;
  auto scope = history::scope_of(env, &why);
  unsetenv("GIT_CEILING_DIRECTORIES");
  fs::remove_all(dir);
  EXPECT_FALSE(scope);
  EXPECT_NE(why.find("is not inside a git repository"), std::string::npos) << why;
}

TEST(History, GitMissingFromPath) {
  Repo repo;
  base_history(repo);
  std::string why;
  auto scope = history::scope_of(repo.env(), &why);
  ASSERT_TRUE(scope) << why;
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent-dir", 1);
  std::string scope_why, missing_why;
  auto none = history::scope_of(repo.env(), &scope_why);
  history::History h;
  auto missing = h.missing(*scope, {"aaa111"}, &missing_why);
  setenv("PATH", saved.c_str(), 1);
  EXPECT_FALSE(none);
  EXPECT_NE(scope_why.find("git is not installed"), std::string::npos) << scope_why;
  EXPECT_FALSE(missing);
  EXPECT_NE(missing_why.find("git is not installed"), std::string::npos) << missing_why;
}

TEST(History, ScopeHoldsOnlyMigrationFilesOfItsLocations) {
  history::Scope scope;
  scope.locations = {"migrations/versions"};
  EXPECT_TRUE(scope.holds("migrations/versions/a.py"));
  EXPECT_FALSE(scope.holds("migrations/versions/sub/a.py"));
  EXPECT_FALSE(scope.holds("migrations/versions/README"));
  EXPECT_FALSE(scope.holds("migrations/versionsX/a.py"));
  EXPECT_FALSE(scope.holds("migrations/versions/__pycache__/a.py"));
  scope.recursive = true;
  EXPECT_TRUE(scope.holds("migrations/versions/sub/a.py"));
}
