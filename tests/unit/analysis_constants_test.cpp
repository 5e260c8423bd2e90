// Values written as constants (analysis/constants.h): each form that resolves, and
// what must stay unresolved. Projects are written to a temporary directory with a
// .git marker as project root; nothing is executed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "analysis/constants.h"
#include "analysis/constants_module.h"
#include "analysis/findings.h"
#include "analysis/parser.h"
#include "analysis/project.h"
#include "parse_test_support.h"

namespace alembic {
namespace {

namespace fs = std::filesystem;
using testing::range_of;

class Project {
 public:
  Project() {
    root_ = fs::temp_directory_path() /
            ("alembic-constants-" + std::to_string(getpid()) + "-" + std::to_string(counter_++));
    fs::remove_all(root_);
    fs::create_directories(root_ / ".git");
  }
  ~Project() { fs::remove_all(root_); }
  const fs::path& root() const { return root_; }

  fs::path write(const std::string& rel, const std::string& text) const {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  // Writes the migration, parses and resolves it.
  ParsedMigration migration(const std::string& rel, const std::string& text,
                            std::vector<fs::path>* consulted = nullptr) const {
    fs::path p = write(rel, text);
    ParsedMigration parsed = parse_migration(text);
    ConstantResolver resolver;
    resolver.resolve(p, text, parsed, consulted);
    return parsed;
  }

 private:
  fs::path root_;
  static inline int counter_ = 0;
};

std::vector<std::string> texts(const AssignedValue& v) {
  std::vector<std::string> out;
  for (const StringValue& s : v.strings) out.push_back(s.text);
  return out;
}

const std::string kVersions = "proj/db/migrations/versions/";

// ---------------------------------------------------------------- same file

TEST(Constants, ModuleLevelTupleNameInSameFile) {
  Project p;
  const std::string src =
      "PREVIOUS = ('a1', 'b2')\n"
      "revision = 'c3'\n"
      "down_revision = PREVIOUS\n";
  ParsedMigration m = p.migration(kVersions + "c3.py", src);
  EXPECT_TRUE(m.down_revision.unresolved.empty());
  EXPECT_TRUE(m.down_revision.is_sequence);
  EXPECT_EQ(texts(m.down_revision), (std::vector<std::string>{"a1", "b2"}));
  EXPECT_EQ(m.down_revision.strings[0].range, range_of(src, "PREVIOUS", 1));
}

TEST(Constants, NameOfNameAndNoneInSameFile) {
  Project p;
  const std::string src =
      "BASE = 'x1'\n"
      "PREV = BASE\n"
      "NOTHING = None\n"
      "revision = 'c3'\n"
      "down_revision = PREV\n"
      "branch_labels = NOTHING\n";
  ParsedMigration m = p.migration(kVersions + "c3.py", src);
  EXPECT_EQ(texts(m.down_revision), (std::vector<std::string>{"x1"}));
  EXPECT_FALSE(m.down_revision.is_sequence);
  EXPECT_TRUE(m.branch_labels.is_none);
  EXPECT_TRUE(m.branch_labels.unresolved.empty());
}

TEST(Constants, ClassAttributeInSameFile) {
  Project p;
  const std::string src =
      "class Branch:\n"
      "    EXPAND = 'expand'\n"
      "    BOTH = (EXPAND, 'contract')\n"
      "revision = 'c3'\n"
      "down_revision = None\n"
      "branch_labels = (Branch.EXPAND,)\n"
      "depends_on = Branch.BOTH\n";
  ParsedMigration m = p.migration(kVersions + "c3.py", src);
  EXPECT_EQ(texts(m.branch_labels), (std::vector<std::string>{"expand"}));
  EXPECT_TRUE(m.branch_labels.unresolved.empty());
  EXPECT_EQ(texts(m.depends_on), (std::vector<std::string>{"expand", "contract"}));
}

TEST(Constants, NameBoundAfterUseOrNeverStaysUnresolved) {
  Project p;
  const std::string src =
      "revision = 'c3'\n"
      "down_revision = LATER\n"
      "branch_labels = (NEVER,)\n"
      "LATER = 'x'\n";
  ParsedMigration m = p.migration(kVersions + "c3.py", src);
  ASSERT_EQ(m.down_revision.unresolved.size(), 1u);
  ASSERT_EQ(m.branch_labels.unresolved.size(), 1u);
}

TEST(Constants, CallsConditionalsAndLoopsStayUnresolved) {
  Project p;
  const std::string src =
      "import os\n"
      "FROM_CALL = os.environ.get('X')\n"
      "MAYBE = 'a'\n"
      "if os.environ:\n"
      "    MAYBE = 'b'\n"
      "for LOOPED in ('a', 'b'):\n"
      "    pass\n"
      "def FUNC():\n"
      "    pass\n"
      "revision = 'c3'\n"
      "down_revision = (FROM_CALL, MAYBE, LOOPED)\n"
      "branch_labels = FUNC\n"
      "depends_on = os.sep\n";
  ParsedMigration m = p.migration(kVersions + "c3.py", src);
  EXPECT_EQ(m.down_revision.unresolved.size(), 3u);
  EXPECT_EQ(m.branch_labels.unresolved.size(), 1u);
  EXPECT_EQ(m.depends_on.unresolved.size(), 1u);  // os is not a project module
}

// ---------------------------------------------------------------- imports

TEST(Constants, NeutronStyleFromImportModule) {
  Project p;
  p.write("proj/__init__.py", "");
  p.write("proj/db/__init__.py", "");
  p.write("proj/db/migration/__init__.py", "");
  const fs::path cli = p.write("proj/db/migration/cli.py",
                               "from oslo_config import cfg\n"
                               "EXPAND_BRANCH = 'expand'\n"
                               "CONTRACT_BRANCH = 'contract'\n"
                               "MIGRATION_BRANCHES = (EXPAND_BRANCH, CONTRACT_BRANCH)\n"
                               "def main():\n    pass\n");
  const std::string src =
      "from alembic import op\n"
      "from proj.db.migration import cli\n"
      "revision = 'c1'\n"
      "down_revision = 'start'\n"
      "branch_labels = (cli.CONTRACT_BRANCH,)\n";
  std::vector<fs::path> consulted;
  ParsedMigration m = p.migration(kVersions + "c1.py", src, &consulted);
  EXPECT_EQ(texts(m.branch_labels), (std::vector<std::string>{"contract"}));
  EXPECT_TRUE(m.branch_labels.unresolved.empty());
  EXPECT_EQ(m.branch_labels.strings[0].range, range_of(src, "cli.CONTRACT_BRANCH"));
  EXPECT_NE(std::find(consulted.begin(), consulted.end(), cli), consulted.end());
}

TEST(Constants, GlanceStyleModuleAttributeAsWholeValue) {
  Project p;
  p.write("glance/__init__.py", "");
  p.write("glance/db/__init__.py", "");
  p.write("glance/db/migration.py", "EXPAND_BRANCH = 'expand'\nALL = ('expand', 'contract')\n");
  ParsedMigration m = p.migration("glance/db/sqlalchemy/alembic_migrations/versions/e1.py",
                                  "from glance.db import migration\n"
                                  "revision = 'e1'\n"
                                  "down_revision = None\n"
                                  "branch_labels = migration.EXPAND_BRANCH\n"
                                  "depends_on = migration.ALL\n");
  EXPECT_EQ(texts(m.branch_labels), (std::vector<std::string>{"expand"}));
  EXPECT_FALSE(m.branch_labels.is_sequence);
  EXPECT_TRUE(m.depends_on.is_sequence);
  EXPECT_EQ(texts(m.depends_on), (std::vector<std::string>{"expand", "contract"}));
}

TEST(Constants, ImportAsAndDottedImportAndFromImportConstant) {
  Project p;
  p.write("proj/consts.py", "A = 'a1'\nB = 'b2'\n");
  p.write("proj/sub/deep.py", "from proj.consts import B as RENAMED\nC = RENAMED\n");
  ParsedMigration m = p.migration(kVersions + "c3.py",
                                  "import proj.consts as k\n"
                                  "import proj.sub.deep\n"
                                  "from proj.consts import A\n"
                                  "revision = 'c3'\n"
                                  "down_revision = (k.A, proj.sub.deep.C)\n"
                                  "depends_on = A\n");
  EXPECT_EQ(texts(m.down_revision), (std::vector<std::string>{"a1", "b2"}));
  EXPECT_TRUE(m.down_revision.unresolved.empty());
  EXPECT_EQ(texts(m.depends_on), (std::vector<std::string>{"a1"}));
}

TEST(Constants, RelativeImports) {
  Project p;
  p.write("proj/db/migrations/__init__.py", "");
  p.write("proj/db/migrations/consts.py", "from .labels import CONTRACT\n");
  p.write("proj/db/migrations/labels.py", "CONTRACT = 'contract'\n");
  p.write("proj/db/migrations/versions/__init__.py", "");
  ParsedMigration m = p.migration(kVersions + "c1.py",
                                  "from .. import consts\n"
                                  "from ..labels import CONTRACT as C\n"
                                  "revision = 'c1'\n"
                                  "down_revision = None\n"
                                  "branch_labels = (consts.CONTRACT, C)\n");
  EXPECT_EQ(texts(m.branch_labels), (std::vector<std::string>{"contract", "contract"}));
  EXPECT_TRUE(m.branch_labels.unresolved.empty());
}

TEST(Constants, ClassAttributeOfImportedModule) {
  Project p;
  p.write("proj/branches.py", "class Branch:\n    EXPAND = 'expand'\n");
  ParsedMigration m = p.migration(kVersions + "e1.py",
                                  "from proj.branches import Branch\n"
                                  "revision = 'e1'\n"
                                  "down_revision = None\n"
                                  "branch_labels = [Branch.EXPAND]\n");
  EXPECT_EQ(texts(m.branch_labels), (std::vector<std::string>{"expand"}));
}

TEST(Constants, ImportCycleStaysUnresolved) {
  Project p;
  p.write("proj/a.py", "from proj.b import X\n");
  p.write("proj/b.py", "from proj.a import X\n");
  p.write("proj/c.py", "Y = Y\n");
  ParsedMigration m = p.migration(kVersions + "e1.py",
                                  "from proj import a, c\n"
                                  "revision = 'e1'\n"
                                  "down_revision = None\n"
                                  "branch_labels = (a.X, c.Y)\n");
  EXPECT_EQ(m.branch_labels.unresolved.size(), 2u);
}

TEST(Constants, NamesOutsideTheProjectStayUnresolved) {
  // A module that exists only above the project root (beside the directory holding
  // the .git marker), an installed package, or a package under site-packages is never
  // read, even when it holds the name.
  Project p;
  const fs::path outside = p.root().parent_path() / "alembic_constants_outside_pkg.py";
  std::ofstream(outside) << "X = 'x'\n";
  ParsedMigration m = p.migration("app/" + kVersions + "e1.py",
                                  "import alembic_constants_outside_pkg as o\n"
                                  "from sqlalchemy import types\n"
                                  "revision = 'e1'\n"
                                  "down_revision = None\n"
                                  "branch_labels = (o.X, types.String)\n");
  fs::remove(outside);
  EXPECT_EQ(m.branch_labels.unresolved.size(), 2u);

  p.write("lib/site-packages/vendor/consts.py", "X = 'x'\n");
  ParsedMigration v = p.migration("lib/site-packages/vendor/versions/e1.py",
                                  "from vendor import consts\n"
                                  "revision = 'e1'\n"
                                  "branch_labels = consts.X\n");
  EXPECT_EQ(v.branch_labels.unresolved.size(), 1u);
}

TEST(Constants, BrokenOrBlockBoundModuleStaysUnresolved) {
  Project p;
  p.write("proj/broken.py", "X = 'x'\ndef f(:\n");
  p.write("proj/guarded.py", "try:\n    X = 'a'\nexcept ImportError:\n    X = 'b'\n");
  p.write("proj/star.py", "X = 'x'\nfrom os.path import *\n");
  p.write("proj/computed.py", "X = 'x'.upper()\nY = f'{X}'\nZ = 'a' + 'b'\n");
  ParsedMigration m = p.migration(kVersions + "e1.py",
                                  "from proj import broken, guarded, star, computed\n"
                                  "revision = 'e1'\n"
                                  "down_revision = None\n"
                                  "branch_labels = (broken.X, guarded.X, star.X, computed.X,"
                                  " computed.Y, computed.Z)\n");
  EXPECT_EQ(m.branch_labels.unresolved.size(), 6u);
  EXPECT_TRUE(m.branch_labels.strings.empty());
}

TEST(Constants, ModuleWithSyntaxErrorInMigrationIsNotResolved) {
  Project p;
  p.write("proj/consts.py", "X = 'x'\n");
  ParsedMigration m = p.migration(kVersions + "e1.py",
                                  "from proj import consts\n"
                                  "revision = 'e1'\n"
                                  "branch_labels = consts.X\n"
                                  "def upgrade(:\n    pass\n");
  EXPECT_EQ(m.branch_labels.unresolved.size(), 1u);
}

TEST(Constants, NestedSequenceStaysUnresolved) {
  Project p;
  p.write("proj/consts.py", "BOTH = ('a', 'b')\n");
  ParsedMigration m = p.migration(kVersions + "e1.py",
                                  "from proj import consts\n"
                                  "revision = 'e1'\n"
                                  "down_revision = ('x', consts.BOTH)\n");
  EXPECT_EQ(m.down_revision.unresolved.size(), 1u);
  EXPECT_EQ(texts(m.down_revision), (std::vector<std::string>{"x"}));
}

TEST(Constants, EachModuleReadOnceAndLiteralOnlyMigrationsReadNothing) {
  Project p;
  p.write("proj/consts.py", "X = 'x'\n");
  int reads = 0;
  ConstantResolver resolver([&](const fs::path& path) -> std::optional<std::string> {
    ++reads;
    std::ifstream in(path);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), {});
  });
  const std::string named = "from proj import consts\nrevision = 'e1'\nbranch_labels = consts.X\n";
  for (int i = 0; i < 3; ++i) {
    fs::path f = p.write(kVersions + "e" + std::to_string(i) + ".py", named);
    ParsedMigration m = parse_migration(named);
    resolver.resolve(f, named, m);
    EXPECT_EQ(texts(m.branch_labels), (std::vector<std::string>{"x"}));
  }
  EXPECT_EQ(reads, 1);
  const std::string literal = "revision = 'e9'\nbranch_labels = 'x'\n";
  ParsedMigration lit = parse_migration(literal);
  EXPECT_FALSE(has_named_values(lit));
  resolver.forget(p.root() / "proj/consts.py");
  ParsedMigration again = parse_migration(named);
  resolver.resolve(p.root() / (kVersions + "e0.py"), named, again);
  EXPECT_EQ(reads, 2);
}

TEST(Constants, LoadEnvironmentResolvesAndRecordsModules) {
  Project p;
  p.write("x/__init__.py", "");
  p.write("x/db/migration/cli.py", "CONTRACT_BRANCH = 'contract'\nEXPAND_BRANCH = 'expand'\n");
  p.write(kVersions + "start.py", "revision = 'start'\ndown_revision = None\n");
  p.write(kVersions + "c1.py",
          "from x.db.migration import cli\nrevision = 'c1'\ndown_revision = 'start'\n"
          "branch_labels = (cli.CONTRACT_BRANCH,)\n");
  p.write(kVersions + "e1.py",
          "from x.db.migration import cli\nrevision = 'e1'\ndown_revision = 'start'\n"
          "branch_labels = (cli.EXPAND_BRANCH,)\n");
  Environment env;
  env.name = "versions";
  env.version_locations = {p.root() / kVersions};
  LoadedEnvironment loaded =
      load_environment(env, [](const fs::path& f) { return f.filename().string(); });
  ASSERT_EQ(loaded.scripts.size(), 3u);
  for (const Finding& f : loaded.graph.findings) {
    EXPECT_NE(f.code, "unresolved-value") << f.message;
    if (f.code == "multiple-heads") {
      EXPECT_EQ(f.severity, Severity::Information) << f.message;
      const std::string text = full_message(f);
      EXPECT_EQ(text.find("<label>"), std::string::npos) << text;
      EXPECT_TRUE(text.find("'contract@head'") != std::string::npos ||
                  text.find("'expand@head'") != std::string::npos)
          << text;
    }
  }
  ASSERT_EQ(loaded.constants_read.count("c1.py"), 1u);
  EXPECT_EQ(loaded.constants_read.at("c1.py").front().filename(), "cli.py");
  EXPECT_EQ(loaded.constants_read.count("start.py"), 0u);
}

TEST(Constants, DottedNameReader) {
  using constants::Expr;
  EXPECT_EQ(constants::dotted_name("cli.CONTRACT_BRANCH").kind, Expr::Name);
  EXPECT_EQ(constants::dotted_name("a . b").attrs.size(), 1u);
  EXPECT_EQ(constants::dotted_name("f()").kind, Expr::Other);
  EXPECT_EQ(constants::dotted_name("a.").kind, Expr::Other);
  EXPECT_EQ(constants::dotted_name("None").kind, Expr::Other);
  EXPECT_EQ(constants::dotted_name("a[0]").kind, Expr::Other);
}

}  // namespace
}  // namespace alembic
