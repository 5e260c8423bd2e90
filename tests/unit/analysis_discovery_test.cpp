// Discovery of Alembic environments and their migration files, on real temporary trees.
// The comparison with Debian's Alembic 1.8.1 is in analysis_ini_test.cpp.
#include "analysis/discovery.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace alembic {
namespace {
namespace fs = std::filesystem;

constexpr const char* kMigration = "\"\"\"msg\"\"\"\nrevision = \"aaa\"\ndown_revision = None\n";

class Tree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("discovery_test_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(std::random_device{}()));
    fs::create_directories(root_);
    root_ = fs::canonical(root_);
  }
  void TearDown() override {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      ::chmod(it->path().c_str(), 0755);  // undo chmod 000 so remove_all can go in
    }
    fs::remove_all(root_, ec);
  }
  fs::path write(const std::string& rel, const std::string& text = kMigration) {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  fs::path mkdir(const std::string& rel) {
    fs::create_directories(root_ / rel);
    return root_ / rel;
  }
  // A script location with an empty versions dir.
  void script_dir(const std::string& rel) { mkdir(rel + "/versions"); }

  Environment only(const Discovery& d) {
    EXPECT_EQ(d.environments.size(), 1u) << problems(d);
    return d.environments.empty() ? Environment{} : d.environments[0];
  }
  static std::string problems(const Discovery& d) {
    std::string s;
    for (const auto& p : d.problems)
      s += p.path.string() + ":" + std::to_string(p.line) + ": " + p.message + "\n";
    return s;
  }
  static const DiscoveryProblem* find_problem(const std::vector<DiscoveryProblem>& ps,
                                              std::string_view text) {
    for (const auto& p : ps)
      if (p.message.find(text) != std::string::npos) return &p;
    return nullptr;
  }
  std::vector<std::string> names(const std::vector<fs::path>& files) {
    std::vector<std::string> out;
    for (const fs::path& f : files) out.push_back(f.lexically_relative(root_).generic_string());
    return out;
  }
  fs::path root_;
};

using Strings = std::vector<std::string>;

// ---- alembic.ini ----------------------------------------------------------------

TEST_F(Tree, IniRelativeScriptLocationResolvesAgainstTheIniDirectory) {
  script_dir("migrations");
  write("alembic.ini", "[alembic]\nscript_location = migrations\n");
  Environment env = only(discover_environments(root_));
  EXPECT_EQ(env.name, "migrations");
  EXPECT_EQ(env.config_path, root_ / "alembic.ini");
  EXPECT_EQ(env.config_section, "alembic");
  EXPECT_EQ(env.script_location, root_ / "migrations");
  EXPECT_EQ(env.version_locations, std::vector<fs::path>{root_ / "migrations/versions"});
  EXPECT_FALSE(env.recursive_version_locations);
  EXPECT_EQ(env.file_template, "%%(rev)s_%%(slug)s");
  EXPECT_EQ(env.truncate_slug_length, 40);
}

TEST_F(Tree, IniHereInterpolationAndOptions) {
  script_dir("db/alembic");
  write("alembic.ini",
        "[alembic]\nscript_location = %(here)s/db/alembic\nfile_template = %%(year)d_%%(rev)s\n"
        "truncate_slug_length = 12\nrecursive_version_locations = true\n");
  Environment env = only(discover_environments(root_ / "alembic.ini"));
  EXPECT_EQ(env.name, "db/alembic");
  EXPECT_EQ(env.script_location, root_ / "db/alembic");
  EXPECT_EQ(env.file_template, "%%(year)d_%%(rev)s");
  EXPECT_EQ(env.truncate_slug_length, 12);
  EXPECT_TRUE(env.recursive_version_locations);
}

TEST_F(Tree, IniOptionEdgeValues) {
  script_dir("m");
  write("alembic.ini",
        "[alembic]\nscript_location = m\ntruncate_slug_length = 0\nrecursive_version_locations = "
        "yes\n");
  Discovery d = discover_environments(root_);
  Environment env = only(d);
  EXPECT_EQ(env.truncate_slug_length, 40);        // `truncate_slug_length or 40`
  EXPECT_FALSE(env.recursive_version_locations);  // Alembic compares with "true"
  EXPECT_TRUE(find_problem(d.problems, "only accepts the exact value 'true'"));

  write("alembic.ini",
        "[alembic]\nscript_location = m\ntruncate_slug_length = abc\nfile_template = %(rev)s\n");
  d = discover_environments(root_);
  env = only(d);
  EXPECT_EQ(env.truncate_slug_length, 40);
  EXPECT_EQ(env.file_template, "%(rev)s");  // bad interpolation: kept as written
  const DiscoveryProblem* bad = find_problem(d.problems, "'rev'");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->line, 4);
  EXPECT_FALSE(bad->fatal);
  EXPECT_TRUE(find_problem(d.problems, "invalid literal for int()"));

  // Negative is kept: Alembic 1.8.1's ScriptDirectory.from_config gives -5 (`-5 or 40`).
  write("alembic.ini", "[alembic]\nscript_location = m\ntruncate_slug_length = -5\n");
  EXPECT_EQ(only(discover_environments(root_)).truncate_slug_length, -5);
}

TEST_F(Tree, VersionLocationsSeparators) {
  script_dir("m");
  auto locations = [&](const std::string& options) {
    write("alembic.ini", "[alembic]\nscript_location = m\n" + options);
    Discovery d = discover_environments(root_);
    Strings out;
    for (const fs::path& p : only(d).version_locations)
      out.push_back(p.lexically_relative(root_).generic_string());
    return out;
  };
  EXPECT_EQ(locations("version_locations = a b,c, d\n"), (Strings{"a", "b", "c", "d"}));
  EXPECT_EQ(locations("version_locations = %(here)s/a:b\npath_separator = os\n"),
            (Strings{"a", "b"}));
  EXPECT_EQ(locations("version_locations = a;b c\nversion_path_separator = ;\n"),
            (Strings{"a", "b c"}));
  EXPECT_EQ(locations("version_locations = a b:c\nversion_path_separator = :\n"),
            (Strings{"a b", "c"}));
  EXPECT_EQ(locations("version_locations = a b;c\npath_separator = space\n"),
            (Strings{"a", "b;c"}));
  EXPECT_EQ(locations("version_locations =\n  a\n  b c\npath_separator = newline\n"),
            (Strings{"a", "b c"}));
  EXPECT_EQ(locations("version_locations = a;b\npath_separator = ;\nversion_path_separator = :\n"),
            (Strings{"a", "b"}));
  EXPECT_EQ(locations("version_locations =\n"), (Strings{"m/versions"}));

  write("alembic.ini",
        "[alembic]\nscript_location = m\nversion_locations = a,b\nversion_path_separator = ,\n");
  Discovery d = discover_environments(root_);
  EXPECT_EQ(only(d).version_locations, (std::vector<fs::path>{root_ / "a", root_ / "b"}));
  const DiscoveryProblem* p =
      find_problem(d.problems, "is not a valid value for version_path_separator");
  ASSERT_TRUE(p) << problems(d);
  EXPECT_EQ(p->line, 4);
}

TEST_F(Tree, PackageScriptLocation) {
  script_dir("myapp/db/migrations");
  write("myapp/__init__.py", "");
  write("deploy/alembic.ini",
        "[alembic]\nscript_location = myapp.db:migrations\nversion_locations = myapp:extra\n");
  Environment env = only(discover_environments(root_ / "deploy"));
  EXPECT_EQ(env.script_location, root_ / "myapp/db/migrations");
  EXPECT_EQ(env.version_locations, std::vector<fs::path>{root_ / "myapp/extra"});
  EXPECT_EQ(env.name, "../myapp/db/migrations");

  script_dir("src/lib/alembic");
  write("alembic.ini", "[alembic]\nscript_location = lib:alembic\n");
  EXPECT_EQ(only(discover_environments(root_ / "alembic.ini")).script_location,
            root_ / "src/lib/alembic");

  write("alembic.ini", "[alembic]\n\nscript_location = nowhere.pkg:migrations\n");
  Discovery d = discover_environments(root_ / "alembic.ini");
  EXPECT_TRUE(d.environments.empty());
  const DiscoveryProblem* p = find_problem(d.problems, "nowhere/pkg");
  ASSERT_TRUE(p) << problems(d);
  EXPECT_TRUE(p->fatal);
  EXPECT_EQ(p->line, 3);
  EXPECT_EQ(p->path, root_ / "alembic.ini");
}

TEST_F(Tree, MissingScriptLocationIsFatalWithTheLine) {
  write("alembic.ini", "# c\n[alembic]\nscript_location = %(here)s/gone\n");
  Discovery d = discover_environments(root_);
  EXPECT_TRUE(d.environments.empty());
  const DiscoveryProblem* p = find_problem(d.problems, "Path doesn't exist");
  ASSERT_TRUE(p) << problems(d);
  EXPECT_TRUE(p->fatal);
  EXPECT_EQ(p->line, 3);
  EXPECT_EQ(p->path, root_ / "alembic.ini");

  write("alembic.ini", "[alembic]\nsqlalchemy.url = x\n");
  d = discover_environments(root_);
  p = find_problem(d.problems, "No 'script_location' key");
  ASSERT_TRUE(p) << problems(d);
  EXPECT_TRUE(p->fatal);
}

TEST_F(Tree, EverySectionWithScriptLocationIsAnEnvironment) {
  script_dir("main");
  script_dir("billing");
  write("alembic.ini",
        "[DEFAULT]\nsqlalchemy.url = x\n[alembic]\nscript_location = "
        "main\n[billing]\nscript_location = billing\n"
        "[loggers]\nkeys = root\n");
  Discovery d = discover_environments(root_);
  ASSERT_EQ(d.environments.size(), 2u) << problems(d);
  EXPECT_EQ(d.environments[0].name, "billing[billing]");
  EXPECT_EQ(d.environments[0].config_section, "billing");
  EXPECT_EQ(d.environments[1].name, "main");
}

TEST_F(Tree, DefaultScriptLocationServesOnlyTheAlembicSection) {
  script_dir("m");
  write("alembic.ini",
        "[DEFAULT]\nscript_location = m\ntruncate_slug_length = x\n[alembic]\n[loggers]\nkeys = "
        "root\n");
  Discovery d = discover_environments(root_);
  EXPECT_EQ(only(d).config_section, "alembic");
  ASSERT_EQ(d.problems.size(), 1u) << problems(d);
  EXPECT_EQ(d.problems[0].line, 3);
}

TEST_F(Tree, IniSyntaxErrorsAreReportedWithLines) {
  script_dir("m");
  write("alembic.ini", "[alembic]\nscript_location = m\nnot an option\n");
  Discovery d = discover_environments(root_);
  only(d);
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].line, 3);
}

// ---- pyproject.toml ----------------------------------------------------------------

TEST_F(Tree, PyprojectOnly) {
  script_dir("alembic");
  write("pyproject.toml",
        "[project]\nname = 'x'\n[tool.alembic]\nscript_location = \"%(here)s/alembic\"\n"
        "version_locations = [\"%(here)s/alembic/versions\", \"extra\"]\n"
        "file_template = \"%%(rev)s-%%(slug)s\"\ntruncate_slug_length = "
        "\"30\"\nrecursive_version_locations = true\n");
  Discovery d = discover_environments(root_);
  Environment env = only(d);
  EXPECT_TRUE(d.problems.empty()) << problems(d);
  EXPECT_EQ(env.name, "alembic");
  EXPECT_EQ(env.config_path, root_ / "pyproject.toml");
  EXPECT_EQ(env.config_section, "tool.alembic");
  EXPECT_EQ(env.version_locations,
            (std::vector<fs::path>{root_ / "alembic/versions", root_ / "extra"}));
  EXPECT_EQ(env.file_template, "%%(rev)s-%%(slug)s");
  EXPECT_EQ(env.truncate_slug_length, 30);
  EXPECT_TRUE(env.recursive_version_locations);
}

TEST_F(Tree, PyprojectBadValues) {
  script_dir("alembic");
  write("pyproject.toml",
        "[tool.alembic]\nscript_location = \"alembic\"\nversion_locations = \"alembic/versions\"\n"
        "recursive_version_locations = \"true\"\ntruncate_slug_length = 7\nfile_template = "
        "\"%(rev)s\"\n");
  Discovery d = discover_environments(root_ / "pyproject.toml");
  Environment env = only(d);
  EXPECT_EQ(env.version_locations, std::vector<fs::path>{root_ / "alembic/versions"});
  EXPECT_FALSE(env.recursive_version_locations);
  EXPECT_EQ(env.truncate_slug_length, 7);
  EXPECT_EQ(env.file_template, "%(rev)s");  // `%` formatting fails: kept as written
  EXPECT_TRUE(find_problem(d.problems, "unknown substitution key 'rev'"));
  const DiscoveryProblem* p = find_problem(d.problems, "boolean value expected");
  ASSERT_TRUE(p) << problems(d);
  EXPECT_EQ(p->line, 4);
  EXPECT_TRUE(find_problem(d.problems, "should be a list"));

  write("pyproject.toml", "[tool.alembic\nscript_location = 1\n");
  d = discover_environments(root_ / "pyproject.toml");
  EXPECT_TRUE(d.environments.empty());
  p = find_problem(d.problems, "not valid TOML");
  ASSERT_TRUE(p) << problems(d);
  EXPECT_EQ(p->line, 1);
}

TEST_F(Tree, PyprojectWithoutAlembicTableIsIgnored) {
  write("pyproject.toml", "[tool.black]\nline-length = 99\n");
  Discovery d = discover_environments(root_);
  EXPECT_TRUE(d.environments.empty());
  EXPECT_TRUE(d.problems.empty()) << problems(d);
  d = discover_environments(root_ / "pyproject.toml");  // named explicitly: say why nothing
  EXPECT_TRUE(find_problem(d.problems, "no [tool.alembic] script_location"));
}

TEST_F(Tree, IniAndPyprojectTogetherIniFirstPerOption) {
  script_dir("alembic");
  write("pyproject.toml",
        "[tool.alembic]\nscript_location = \"%(here)s/alembic\"\nversion_locations = [\"toml_v\"]\n"
        "truncate_slug_length = 33\n");
  write("alembic.ini", "[alembic]\nsqlalchemy.url = x\nversion_locations = ini_v\n");
  Discovery d = discover_environments(root_);
  Environment env = only(d);
  EXPECT_EQ(env.config_section, "tool.alembic");
  EXPECT_EQ(env.version_locations, std::vector<fs::path>{root_ / "ini_v"});  // ini wins
  EXPECT_EQ(env.truncate_slug_length, 33);                                   // from toml

  script_dir("ini_scripts");
  write("alembic.ini", "[alembic]\nscript_location = ini_scripts\n");
  d = discover_environments(root_);
  env = only(d);
  EXPECT_EQ(env.config_section, "alembic");
  EXPECT_EQ(env.script_location, root_ / "ini_scripts");
  EXPECT_EQ(env.version_locations, std::vector<fs::path>{root_ / "toml_v"});  // falls back to toml
  EXPECT_TRUE(find_problem(d.problems, "[tool.alembic] script_location is not used"));
}

// ---- directories ---------------------------------------------------------------

TEST_F(Tree, MonorepoFindsEveryEnvironmentAndSkipsNoise) {
  script_dir("services/billing/alembic");
  write("services/billing/alembic/versions/1_a.py");
  write("services/billing/alembic.ini", "[alembic]\nscript_location = %(here)s/alembic\n");
  script_dir("services/users/migrations");
  write("services/users/pyproject.toml", "[tool.alembic]\nscript_location = \"migrations\"\n");
  for (std::string noise : {".venv", "venv", ".git", "node_modules", ".hidden", "build",
                            "services/users/__pycache__"}) {
    script_dir(noise + "/m");
    write(noise + "/alembic.ini", "[alembic]\nscript_location = m\n");
    write(noise + "/m/versions/1.py");
  }
  write(".venv/pyvenv.cfg", "home = /usr\n");
  write("venv/pyvenv.cfg", "home = /usr\n");
  write("tools/scratch/old_versions/0001_x.py");  // bare dir, no config
  write("src/app/models.py", "revision = 1\n");   // no down_revision: not a migration
  write("tools/gen/template.py",
        "T = \"\"\"\nrevision = 'a'\ndown_revision = None\n\"\"\"\n");  // in a string
  Discovery d = discover_environments(root_);
  EXPECT_TRUE(d.problems.empty()) << problems(d);
  Strings got;
  for (const Environment& e : d.environments) got.push_back(e.name);
  EXPECT_EQ(got, (Strings{"services/billing/alembic", "services/users/migrations",
                          "tools/scratch/old_versions"}));
  EXPECT_FALSE(d.environments[2].config_path);
  EXPECT_EQ(d.environments[2].config_section, "");
}

TEST_F(Tree, BareVersionsDirectory) {
  write("versions/0001_init.py");
  write("versions/0002_more.py", "revision: str = 'b'\ndown_revision: Union[str, None] = 'aaa'\n");
  write("versions/README", "x");
  Discovery d = discover_environments(root_ / "versions");
  Environment env = only(d);
  EXPECT_EQ(env.name, "versions");
  EXPECT_FALSE(env.config_path);
  EXPECT_TRUE(env.script_location.empty());
  EXPECT_EQ(env.version_locations, std::vector<fs::path>{root_ / "versions"});
}

TEST_F(Tree, TwoConfigsForOneEnvironmentListItOnce) {
  script_dir("svc/m");
  write("alembic.ini", "[alembic]\nscript_location = svc/m\n");
  write("svc/alembic.ini", "[alembic]\nscript_location = m\n");
  Discovery d = discover_environments(root_);
  EXPECT_EQ(only(d).config_path, root_ / "alembic.ini");
  EXPECT_TRUE(find_problem(d.problems, "same environment as"));
}

TEST_F(Tree, AMigrationFileIsNotAConfig) {
  Discovery d = discover_environments(write("versions/1.py"));
  EXPECT_TRUE(d.environments.empty());
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_TRUE(d.problems[0].fatal);
}

TEST_F(Tree, NonexistentPathIsFatal) {
  Discovery d = discover_environments(root_ / "nope");
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_TRUE(d.problems[0].fatal);
  EXPECT_EQ(d.problems[0].message, "No such file or directory: " + (root_ / "nope").string());
}

TEST_F(Tree, SymlinkLoopInTheTreeIsSurvived) {
  script_dir("a/m");
  write("a/alembic.ini", "[alembic]\nscript_location = m\n");
  fs::create_directory_symlink(root_, root_ / "a/loop");
  Environment env = only(discover_environments(root_));
  EXPECT_EQ(env.name, "a/m");
}

// ---- migration files ------------------------------------------------------------

TEST(FileFilter, LikeAlembicsRegex) {
  for (const char* yes : {"a.py", "_private.py", ".hidden.py", ".py", "0001_x.py", "init__.py"}) {
    EXPECT_TRUE(is_migration_file_name(yes)) << yes;
  }
  for (const char* no :
       {"__init__.py", "__init__x.py", ".#foo.py", "a.PY", "a.py.bak", "a.pyc", "py", "a.py~"}) {
    EXPECT_FALSE(is_migration_file_name(no)) << no;
  }
}

TEST_F(Tree, ListsSortedFilteredPerLocationInConfiguredOrder) {
  for (const char* f : {"v2/b.py", "v2/a.py", "v1/Z.py", "v1/a.py", "v1/__init__.py", "v1/.#a.py",
                        "v1/c.pyc", "v1/sub/deep.py", "v1/README"}) {
    write(f);
  }
  Environment env;
  env.version_locations = {root_ / "v2", root_ / "missing", root_ / "v1"};
  std::vector<DiscoveryProblem> problems;
  EXPECT_EQ(names(list_migration_files(env, problems)),
            (Strings{"v2/a.py", "v2/b.py", "v1/Z.py", "v1/a.py"}));
  EXPECT_TRUE(problems.empty());
}

TEST_F(Tree, RecursiveWalkIsDepthFirstAndSkipsPycache) {
  for (const char* f :
       {"v/b.py", "v/a/z.py", "v/a/b/y.py", "v/c/x.py", "v/__pycache__/p.py", "v/2025/01/m.py"})
    write(f);
  Environment env;
  env.version_locations = {root_ / "v"};
  env.recursive_version_locations = true;
  std::vector<DiscoveryProblem> problems;
  EXPECT_EQ(names(list_migration_files(env, problems)),
            (Strings{"v/b.py", "v/2025/01/m.py", "v/a/z.py", "v/a/b/y.py", "v/c/x.py"}));
  EXPECT_TRUE(problems.empty());
}

TEST_F(Tree, SameDirectoryThroughASymlinkIsListedOnce) {
  write("v/a.py");
  write("v/b.py");
  fs::create_directory_symlink(root_ / "v", root_ / "alias");
  fs::create_symlink(root_ / "v/a.py", root_ / "v/c.py");
  Environment env;
  env.version_locations = {root_ / "v", root_ / "alias"};
  std::vector<DiscoveryProblem> problems;
  EXPECT_EQ(names(list_migration_files(env, problems)), (Strings{"v/a.py", "v/b.py"}));
  EXPECT_TRUE(
      find_problem(problems, "already listed through version location " + (root_ / "v").string()));
  EXPECT_TRUE(find_problem(problems, "loaded twice"));  // c.py is a.py
}

TEST_F(Tree, NestedLocationOfARecursiveWalkIsListedOnce) {
  write("v/a.py");
  write("v/sub/b.py");
  Environment env;
  env.version_locations = {root_ / "v/sub", root_ / "v"};
  env.recursive_version_locations = true;
  std::vector<DiscoveryProblem> problems;
  EXPECT_EQ(names(list_migration_files(env, problems)), (Strings{"v/sub/b.py", "v/a.py"}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, root_ / "v/sub");
}

TEST_F(Tree, SymlinkLoopsAndOddEntriesAreReportedNotFatal) {
  write("v/a.py");
  fs::create_directory_symlink(root_ / "v", root_ / "v/loop");
  fs::create_symlink(root_ / "gone.py", root_ / "v/dangling.py");
  write("not_a_dir", "x");
  fs::create_symlink(root_ / "self", root_ / "self");
  Environment env;
  env.version_locations = {root_ / "v", root_ / "not_a_dir", root_ / "self"};
  env.recursive_version_locations = true;
  std::vector<DiscoveryProblem> problems;
  EXPECT_EQ(names(list_migration_files(env, problems)), (Strings{"v/a.py"}));
  EXPECT_TRUE(find_problem(problems, "symbolic link loop"));
  const DiscoveryProblem* dangling = find_problem(problems, "No such file or directory");
  ASSERT_TRUE(dangling);
  EXPECT_EQ(dangling->path, root_ / "v/dangling.py");
  EXPECT_TRUE(find_problem(problems, "not a directory"));
  EXPECT_TRUE(find_problem(problems, "symbolic links"));  // ELOOP on "self"
}

TEST_F(Tree, UnreadableDirectoryIsReported) {
  write("v/a.py");
  write("v/sub/b.py");
  ::chmod((root_ / "v/sub").c_str(), 0);
  Environment env;
  env.version_locations = {root_ / "v"};
  env.recursive_version_locations = true;
  // Permissions do not stop root: as root, list from a child that became `nobody`.
  auto check = [&] {
    std::vector<DiscoveryProblem> problems;
    Strings got = names(list_migration_files(env, problems));
    const DiscoveryProblem* p = find_problem(problems, "Permission denied");
    return got == Strings{"v/a.py"} && p && p->path == root_ / "v/sub";
  };
  if (::geteuid() != 0) {
    EXPECT_TRUE(check());
    return;
  }
  ::chmod(root_.c_str(), 0755);
  ::chmod((root_ / "v").c_str(), 0755);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    ::_exit(check() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "as nobody: the unreadable directory was not reported (3: could not drop root)";
}

TEST_F(Tree, ReadFileBytes) {
  std::string binary("a\0b\xff\r\n", 6);
  EXPECT_EQ(read_file_bytes(write("bin.py", binary)), binary);
  try {
    read_file_bytes(root_ / "missing.py");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              (root_ / "missing.py").string() + ": No such file or directory");
  }
  EXPECT_THROW(read_file_bytes(root_), std::runtime_error);  // a directory
}

}  // namespace
}  // namespace alembic
