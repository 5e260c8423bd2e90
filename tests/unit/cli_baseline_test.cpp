// check --base: reading migrations at a commit, and which findings count as new.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "analysis/git.h"
#include "analysis/parser.h"
#include "server/cli/baseline.h"

using namespace alembic;
using namespace alembic::cli;
namespace fs = std::filesystem;

namespace {

struct Repo {
  fs::path path;
  Repo() {
    std::string tmpl = (fs::temp_directory_path() / "baseline-XXXXXX").string();
    path = fs::canonical(mkdtemp(tmpl.data()));
    git({"init", "-q"});
  }
  ~Repo() { fs::remove_all(path); }
  void git(std::vector<std::string> args) const {
    std::vector<std::string> full = {
        "-c", "user.name=Test",          "-c", "user.email=test@example.com",
        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"};
    full.insert(full.end(), args.begin(), args.end());
    git::RunResult r = git::run(path, full);
    ASSERT_TRUE(r.ok()) << r.err;
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
  void commit(const std::string& message) const {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
  }
};

std::string migration(const std::string& id, const std::string& down) {
  return "revision = '" + id + "'\ndown_revision = " + down + "\n";
}

Finding finding(const std::string& code, const std::string& path,
                std::vector<std::string> revisions) {
  Finding f;
  f.code = code;
  f.location.path = path;
  f.revisions = std::move(revisions);
  return f;
}

std::string relative(const fs::path& p) {
  return p.filename().string();
}

}  // namespace

TEST(Baseline, KeysIgnoreMessagesAndPositions) {
  Finding a = finding("missing-revision", "v/b.py", {"b", "x"});
  Finding b = a;
  b.message = "other words";
  b.location.range.start_line = 40;
  b.severity = Severity::Warning;
  EXPECT_EQ(finding_key(a), finding_key(b));
  b.revisions = {"b", "y"};
  EXPECT_NE(finding_key(a), finding_key(b));
  // multiple-heads: the head's file decides, not the list of all heads.
  EXPECT_EQ(finding_key(finding("multiple-heads", "v/a.py", {"a", "b"})),
            finding_key(finding("multiple-heads", "v/a.py", {"a", "c"})));
  EXPECT_NE(finding_key(finding("multiple-heads", "v/a.py", {"a", "b"})),
            finding_key(finding("multiple-heads", "v/c.py", {"a", "b"})));
}

TEST(Baseline, NewFindingsCancelOnePerBaseFinding) {
  std::vector<Finding> base = {finding("duplicate-revision", "v/a.py", {"a"}),
                               finding("multiple-heads", "v/a.py", {"a", "b"})};
  std::vector<Finding> current = {finding("duplicate-revision", "v/a.py", {"a"}),
                                  finding("duplicate-revision", "v/a.py", {"a"}),
                                  finding("multiple-heads", "v/a.py", {"a", "c"}),
                                  finding("multiple-heads", "v/c.py", {"a", "c"}),
                                  finding("config-error", "alembic.ini", {}),
                                  finding("io-error", "v", {})};
  base.push_back(finding("config-error", "alembic.ini", {}));
  std::vector<Finding> fresh = new_findings(current, base);
  ASSERT_EQ(fresh.size(), 4u);
  EXPECT_EQ(fresh[0].code, "duplicate-revision");  // the second copy of the same key
  EXPECT_EQ(fresh[1].location.path, "v/c.py");
  EXPECT_EQ(fresh[2].code, "config-error");  // about the checkout: always reported
  EXPECT_EQ(fresh[3].code, "io-error");
}

TEST(Baseline, ReadsVersionLocationsAtACommitInLoadOrder) {
  Repo repo;
  repo.write("proj/migrations/versions/b.py", migration("b", "'a'"));
  repo.write("proj/migrations/versions/a.py", migration("a", "None"));
  repo.write("proj/migrations/versions/sub/c.py", migration("c", "'b'"));
  repo.write("proj/migrations/versions/z/d.py", migration("d", "'c'"));
  repo.write("proj/migrations/versions/__pycache__/x.py", migration("x", "None"));
  repo.write("proj/migrations/versions/__init__.py", "");
  repo.write("proj/migrations/versions/notes.txt", "");
  repo.commit("one");
  repo.write("proj/migrations/versions/e.py", migration("e", "'d'"));
  repo.write("proj/migrations/versions/a.py", migration("a", "'zzz'"));
  repo.commit("two");

  const BaseCommit base = resolve_base(repo.path / "proj", "HEAD~1");
  EXPECT_EQ(base.top, repo.path);
  EXPECT_EQ(base.commit.size(), 40u);

  Environment env;
  env.script_location = repo.path / "proj/migrations";
  env.version_locations = {repo.path / "proj/migrations/versions", repo.path / "proj/other"};
  std::vector<Script> flat = scripts_at(base, env, [](const fs::path& p) { return p.string(); });
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat[0].path, (repo.path / "proj/migrations/versions/a.py").string());
  EXPECT_EQ(revision_id_of(flat[0]), "a");
  EXPECT_TRUE(flat[0].parsed.down_revision.is_none);  // as it was, not as it is
  EXPECT_EQ(revision_id_of(flat[1]), "b");

  env.recursive_version_locations = true;
  std::vector<Script> deep = scripts_at(base, env, relative);
  std::vector<std::string> order;
  for (const Script& s : deep) order.push_back(revision_id_of(s));
  // Files of a directory first, then its subdirectories, each sorted (os.walk order).
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "d"}));

  std::vector<Script> now = scripts_at(resolve_base(repo.path, "HEAD"), env, relative);
  EXPECT_EQ(now.size(), 5u);
}

TEST(Baseline, UnknownRefAndNoRepository) {
  Repo repo;
  repo.write("m/a.py", migration("a", "None"));
  repo.commit("one");
  try {
    resolve_base(repo.path, "no-such-ref");
    FAIL() << "no exception";
  } catch (const BaselineError& e) {
    EXPECT_STREQ(e.what(), "unknown git ref 'no-such-ref'");
  }
  std::string tmpl = (fs::temp_directory_path() / "norepo-XXXXXX").string();
  fs::path dir = mkdtemp(tmpl.data());
  setenv("GIT_CEILING_DIRECTORIES", dir.parent_path().c_str(), 1);
  try {
    resolve_base(dir, "HEAD");
    ADD_FAILURE() << "no exception";
  } catch (const BaselineError& e) {
    EXPECT_NE(std::string(e.what()).find("not inside a git repository"), std::string::npos)
        << e.what();
  }
  unsetenv("GIT_CEILING_DIRECTORIES");
  fs::remove_all(dir);
}

TEST(Baseline, LocationOutsideTheRepositoryIsAnError) {
  Repo repo;
  repo.write("m/a.py", migration("a", "None"));
  repo.commit("one");
  Environment env;
  env.version_locations = {fs::temp_directory_path() / "somewhere-else"};
  EXPECT_THROW(scripts_at(resolve_base(repo.path, "HEAD"), env, relative), BaselineError);
}

TEST(Baseline, NewSecondHeadIsNewAndOldProblemsAreNot) {
  Repo repo;
  repo.write("v/a.py", migration("a", "None"));
  repo.write("v/b.py", migration("b", "'a'"));
  repo.write("v/x.py", migration("x", "'gone'"));  // an old missing parent
  repo.commit("base");
  repo.write("v/c.py", migration("c", "'a'"));  // a second head
  repo.commit("feature");

  Environment env;
  env.version_locations = {repo.path / "v"};
  auto analyse = [&](const std::string& ref) {
    return analyze(scripts_at(resolve_base(repo.path, ref), env, relative)).findings;
  };
  std::vector<Finding> fresh = new_findings(analyse("HEAD"), analyse("HEAD~1"));
  std::vector<std::string> got;
  for (const Finding& f : fresh) got.push_back(f.code + " " + f.location.path);
  // At the base, b and x were already heads (x's parent is missing): only c is new.
  EXPECT_EQ(got, (std::vector<std::string>{"multiple-heads c.py"}));
}
