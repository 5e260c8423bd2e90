// The git layer on real temporary repositories: running git, timeouts, the top level,
// refs, tree listings and blobs; and what happens outside a repository or without git.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "analysis/git.h"

using namespace alembic;
namespace fs = std::filesystem;

namespace {

struct Repo {
  fs::path path;
  Repo() {
    std::string tmpl = (fs::temp_directory_path() / "gitlayer-XXXXXX").string();
    path = fs::canonical(mkdtemp(tmpl.data()));
  }
  ~Repo() { fs::remove_all(path); }
  git::RunResult git(std::vector<std::string> args) const {
    std::vector<std::string> full = {
        "-c", "user.name=Test",          "-c", "user.email=test@example.com",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"};
    full.insert(full.end(), args.begin(), args.end());
    git::RunResult r = git::run(path, full);
    EXPECT_TRUE(r.ok()) << "git failed: " << r.err;
    return r;
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
};

}  // namespace

TEST(Git, RunsAndCapturesOutput) {
  git::RunResult r = git::run(fs::temp_directory_path(), {"--version"});
  ASSERT_TRUE(r.started) << r.error;
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("git version ", 0), 0u);
}

TEST(Git, ReportsFailureWithStderr) {
  git::RunResult r = git::run(fs::temp_directory_path(), {"no-such-command-xyz"});
  ASSERT_TRUE(r.started);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.err.empty());
}

TEST(Git, FeedsStdinLargerThanAPipe) {
  Repo repo;
  repo.git({"init", "-q"});
  std::string big(1 << 20, 'x');  // 1 MiB: more than a pipe buffer, both ways
  git::RunResult r = git::run(repo.path, {"hash-object", "--stdin"}, big);
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_EQ(r.out.size(), 41u);
  git::RunResult cat = git::run(repo.path, {"hash-object", "-w", "--stdin"}, big);
  ASSERT_TRUE(cat.ok());
  std::string why;
  auto blobs = git::read_blobs(repo.path, {cat.out.substr(0, 40)}, &why);
  ASSERT_TRUE(blobs) << why;
  EXPECT_EQ((*blobs)[0], big);
}

TEST(Git, TimesOut) {
  Repo repo;
  repo.git({"init", "-q"});
  // An alias that sleeps stands for a git that hangs (a network filesystem, a lock).
  git::RunResult r = git::run(repo.path, {"-c", "alias.slow=!sleep 5", "slow"}, {},
                              std::chrono::milliseconds(200));
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
}

TEST(Git, CancelStopsARunningCommand) {
  Repo repo;
  repo.git({"init", "-q"});
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  // Without the flag this would run until its (long) timeout.
  git::RunResult r = git::run(repo.path, {"-c", "alias.slow=!sleep 30", "slow"}, {},
                              std::chrono::minutes(10), &cancel);
  canceller.join();
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.ok());
}

TEST(Git, MissingGitIsAValue) {
  const char* old = std::getenv("PATH");
  std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent-dir", 1);
  git::RunResult r = git::run(fs::temp_directory_path(), {"--version"});
  std::string why;
  auto top = git::toplevel(fs::temp_directory_path(), &why);
  setenv("PATH", saved.c_str(), 1);
  EXPECT_FALSE(r.started);
  EXPECT_NE(r.error.find("git is not installed"), std::string::npos) << r.error;
  EXPECT_FALSE(top);
  EXPECT_NE(why.find("git is not installed"), std::string::npos) << why;
}

TEST(Git, OutsideARepository) {
  std::string tmpl = (fs::temp_directory_path() / "norepo-XXXXXX").string();
  fs::path dir = mkdtemp(tmpl.data());
  // GIT_CEILING_DIRECTORIES keeps git from finding a repository above /tmp.
  setenv("GIT_CEILING_DIRECTORIES", dir.parent_path().c_str(), 1);
  std::string why;
  auto top = git::toplevel(dir, &why);
  unsetenv("GIT_CEILING_DIRECTORIES");
  fs::remove_all(dir);
  EXPECT_FALSE(top);
  EXPECT_NE(why.find("is not inside a git repository"), std::string::npos) << why;
}

TEST(Git, TopLevelRefsTreesAndBlobs) {
  Repo repo;
  repo.git({"init", "-q"});
  repo.write("app/migrations/versions/a.py", "revision = 'a'\n");
  repo.write("app/migrations/versions/sub/c.py", "revision = 'c'\n");
  repo.write("app/migrations/versions/README", "notes\n");
  repo.git({"add", "."});
  repo.git({"commit", "-q", "-m", "one"});
  repo.git({"tag", "v1"});
  repo.write("app/migrations/versions/b.py", "revision = 'b'\n");
  repo.git({"add", "."});
  repo.git({"commit", "-q", "-m", "two"});

  std::string why;
  auto top = git::toplevel(repo.path / "app" / "migrations", &why);
  ASSERT_TRUE(top) << why;
  EXPECT_EQ(*top, repo.path);

  auto v1 = git::resolve_commit(repo.path, "v1");
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->size(), 40u);
  EXPECT_TRUE(git::resolve_commit(repo.path, "HEAD~1"));
  EXPECT_EQ(git::resolve_commit(repo.path, "HEAD~1"), v1);
  EXPECT_FALSE(git::resolve_commit(repo.path, "no-such-branch"));
  EXPECT_FALSE(git::resolve_commit(repo.path, "--output=/tmp/x"));  // never an option

  auto direct = git::list_tree(repo.path, *v1, "app/migrations/versions", false, &why);
  ASSERT_TRUE(direct) << why;
  std::vector<std::string> names;
  for (const auto& e : *direct) names.push_back(e.path + ":" + e.type);
  EXPECT_EQ(names, (std::vector<std::string>{"README:blob", "a.py:blob", "sub:tree"}));

  auto all = git::list_tree(repo.path, "HEAD", "app/migrations/versions", true, &why);
  ASSERT_TRUE(all) << why;
  names.clear();
  for (const auto& e : *all) names.push_back(e.path);
  EXPECT_EQ(names, (std::vector<std::string>{"README", "a.py", "b.py", "sub/c.py"}));

  auto missing = git::list_tree(repo.path, *v1, "app/other", false, &why);
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->empty());
  auto file_not_dir = git::list_tree(repo.path, *v1, "app/migrations/versions/a.py", false, &why);
  ASSERT_TRUE(file_not_dir);
  EXPECT_TRUE(file_not_dir->empty());

  std::vector<std::string> objects;
  for (const auto& e : *all) objects.push_back(e.object);
  auto blobs = git::read_blobs(repo.path, objects, &why);
  ASSERT_TRUE(blobs) << why;
  EXPECT_EQ(*blobs, (std::vector<std::string>{"notes\n", "revision = 'a'\n", "revision = 'b'\n",
                                              "revision = 'c'\n"}));
  EXPECT_FALSE(git::read_blobs(repo.path, {std::string(40, '0')}, &why));
  EXPECT_NE(why.find("missing"), std::string::npos);
}

TEST(Git, RelativeGitDirFromHooksIsMadeAbsolute) {
  Repo repo;
  repo.git({"init", "-q"});
  repo.write("d/x.py", "x\n");
  repo.git({"add", "."});
  repo.git({"commit", "-q", "-m", "one"});
  // A hook runs with GIT_DIR=.git relative to the repository's top.
  const fs::path cwd = fs::current_path();
  fs::current_path(repo.path);
  setenv("GIT_DIR", ".git", 1);
  auto commit = git::resolve_commit(repo.path / "d", "HEAD");
  unsetenv("GIT_DIR");
  fs::current_path(cwd);
  EXPECT_TRUE(commit);
}
