// Which Alembic a project runs (lock, requirements, pyproject, setting) and the findings
// whose truth depends on it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analysis/alembic_version.h"
#include "analysis/findings.h"
#include "analysis/settings.h"

namespace alembic {
namespace {

namespace fs = std::filesystem;
using K = AlembicVersion::Kind;

AlembicVersion constraint(std::string_view spec) {
  auto v = parse_alembic_constraint(spec);
  EXPECT_TRUE(v.has_value()) << spec;
  return v.value_or(AlembicVersion{});
}

TEST(AlembicVersion, Constraints) {
  EXPECT_EQ(constraint("==1.13.2").kind, K::Exact);
  EXPECT_EQ(constraint("==1.13.2").version_text(), "1.13.2");
  EXPECT_EQ(constraint(">=1.8").kind, K::Newest);
  EXPECT_EQ(constraint(">=1.8,<1.13").version_text(), "newest below 1.13.0");
  EXPECT_EQ(constraint("<1.13, <1.12.1").version_text(), "newest below 1.12.1");
  EXPECT_EQ(constraint("<=1.12.0").version_text(), "newest up to 1.12.0");
  EXPECT_EQ(constraint("~=1.12.0").version_text(), "newest below 1.13.0");
  EXPECT_EQ(constraint("~=1.12").version_text(), "newest below 2.0.0");
  EXPECT_EQ(constraint("==1.12.*").version_text(), "newest below 1.13.0");
  EXPECT_EQ(constraint("^1.13.2").version_text(), "newest below 2.0.0");  // Poetry
  EXPECT_EQ(constraint("~1.11.3").version_text(), "newest below 1.12.0");
  EXPECT_EQ(constraint("1.8.1").version_text(), "1.8.1");
  EXPECT_EQ(constraint("*").kind, K::Newest);
  EXPECT_FALSE(parse_alembic_constraint("latest please").has_value());
}

TEST(AlembicVersion, AtLeastFollowsTheBound) {
  EXPECT_TRUE(AlembicVersion{}.at_least({1, 12, 1}));  // the newest
  EXPECT_FALSE(constraint("==1.8.1").at_least({1, 12, 1}));
  EXPECT_TRUE(constraint("==1.12.1").at_least({1, 12, 1}));
  EXPECT_FALSE(constraint("<1.12.1").at_least({1, 12, 1}));
  EXPECT_TRUE(constraint("<1.13").at_least({1, 12, 1}));  // 1.12.1 .. 1.12.x are below 1.13
  EXPECT_FALSE(constraint("<=1.12.0").at_least({1, 12, 1}));
}

TEST(AlembicVersion, RequirementLines) {
  EXPECT_EQ(parse_alembic_requirement("alembic==1.13.2")->version_text(), "1.13.2");
  EXPECT_EQ(parse_alembic_requirement("Alembic[tz] >= 1.8, < 1.12  # pinned")->version_text(),
            "newest below 1.12.0");
  EXPECT_EQ(parse_alembic_requirement("alembic ; python_version > '3.8'")->kind, K::Newest);
  EXPECT_FALSE(parse_alembic_requirement("alembic-utils==0.8.1").has_value());
  EXPECT_FALSE(parse_alembic_requirement("flask-migrate==4.0").has_value());
  EXPECT_FALSE(parse_alembic_requirement("# alembic==1.8.1").has_value());
  EXPECT_FALSE(parse_alembic_requirement("-r base.txt").has_value());
}

TEST(AlembicVersion, LockFiles) {
  const char* uv = R"([[package]]
name = "alembic-utils"
version = "0.8.1"

[[package]]
name = "alembic"
version = "1.13.2"
source = { registry = "https://example.invalid/simple" }
dependencies = [
    { name = "mako" },
]

[[package]]
name = "mako"
version = "1.3.5"
)";
  EXPECT_EQ(locked_alembic_version(uv), "1.13.2");
  const char* poetry =
      "[[package]]\nname = \"mako\"\nversion = \"1.3\"\n\n[[package]]\n"
      "name = \"alembic\"\nversion = \"1.8.1\"\ndescription = \"x\"\n";
  EXPECT_EQ(locked_alembic_version(poetry), "1.8.1");
  EXPECT_FALSE(locked_alembic_version("[[package]]\nname = \"mako\"\nversion = \"1\"\n"));
}

class AlembicVersionFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("alembic-version-test-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    fs::create_directories(root / ".git");  // the project ends here
    fs::create_directories(root / "app" / "migrations");
  }
  void TearDown() override { fs::remove_all(root); }
  void write(const fs::path& rel, const std::string& text) {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
  fs::path root;
};

TEST_F(AlembicVersionFiles, DetectionOrderAndSource) {
  auto detect = [&] { return detect_alembic_version(root / "app" / "migrations", std::nullopt); };
  EXPECT_EQ(detect().describe(), "newest (no pin found)");

  write("pyproject.toml",
        "[project]\nname = \"app\"\ndependencies = [\"sqlalchemy\", \"alembic>=1.9,<1.12\"]\n");
  EXPECT_EQ(detect().describe(), "newest below 1.12.0 (from pyproject.toml: alembic>=1.9,<1.12)");

  write("requirements-dev.txt", "pytest\n");
  write("requirements.txt", "SQLAlchemy==1.4.46\nalembic==1.10.4\n");
  EXPECT_EQ(detect().describe(), "1.10.4 (from requirements.txt: alembic==1.10.4)");

  write("poetry.lock", "[[package]]\nname = \"alembic\"\nversion = \"1.11.1\"\n");
  EXPECT_EQ(detect().describe(), "1.11.1 (from poetry.lock: alembic 1.11.1)");

  // A nearer directory wins over the repository root.
  write("app/requirements.txt", "alembic==1.8.1\n");
  EXPECT_EQ(detect().version_text(), "1.8.1");
}

TEST_F(AlembicVersionFiles, PoetryDependencyAndSetting) {
  write("pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\nalembic = \"^1.13\"\n");
  EXPECT_EQ(detect_alembic_version(root, std::nullopt).describe(),
            "newest below 2.0.0 (from pyproject.toml: alembic = \"^1.13\")");
  write("pyproject.toml", "[tool.alembic-lsp]\nalembic-version = \"1.8.1\"\n");
  const Settings s = load_settings(root, [](const fs::path& p) { return p.string(); });
  EXPECT_TRUE(s.problems.empty());
  EXPECT_EQ(s.alembic.describe(), "1.8.1 (from [tool.alembic-lsp] alembic-version: \"1.8.1\")");
  // A lock file says what is really installed: it wins over the setting.
  write("uv.lock", "[[package]]\nname = \"alembic\"\nversion = \"1.18.4\"\n");
  EXPECT_EQ(
      load_settings(root, [](const fs::path& p) { return p.string(); }).alembic.version_text(),
      "1.18.4");
}

TEST(AlembicVersion, BadSettingIsAConfigWarning) {
  const Settings s =
      parse_settings("[tool.alembic-lsp]\nalembic-version = \"soon\"\n", "pyproject.toml");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(s.problems[0].message.find("alembic-version"), std::string::npos);
}

Finding finding(std::string_view code, Severity severity, std::string message, int line) {
  Finding f;
  f.code = std::string(code);
  f.severity = severity;
  f.message = std::move(message);
  f.location.path = "versions/b.py";
  f.location.range.start_line = line;
  return f;
}

std::vector<Finding> empty_down_findings() {
  return {finding(codes::kEmptyDownRevision, Severity::Warning, "down_revision is empty", 14),
          finding(codes::kUnexpectedBase, Severity::Error, "second base", 14),
          finding(codes::kUnexpectedBase, Severity::Error, "another base elsewhere", 30)};
}

TEST(AlembicVersion, EmptyDownRevisionFollowsTheVersion) {
  // Measured: 1.8.1 reads "" as a base; 1.13.2 and 1.18.4 fail with KeyError: ''.
  std::vector<Finding> old = empty_down_findings();
  apply_alembic_version(old, constraint("==1.8.1"));
  ASSERT_EQ(old.size(), 3u);
  EXPECT_EQ(old[0].severity, Severity::Warning);
  EXPECT_NE(old[0].detail.find("Alembic 1.8.1 reads it as a base"), std::string::npos);

  std::vector<Finding> now = empty_down_findings();
  apply_alembic_version(now, constraint("==1.13.2"));
  ASSERT_EQ(now.size(), 2u);  // the unexpected-base on the same line is gone
  EXPECT_EQ(now[0].code, codes::kEmptyDownRevision);
  EXPECT_EQ(now[0].severity, Severity::Error);
  EXPECT_NE(now[0].detail.find("Alembic 1.13.2 fails loading the history with KeyError: ''"),
            std::string::npos);
  EXPECT_EQ(now[1].message, "another base elsewhere");
}

TEST(AlembicVersion, ColonInRevisionIdFollowsTheVersion) {
  auto colon = [] {
    Finding f =
        finding(codes::kInvalidRevisionId, Severity::Error, "Revision id 'rev:1' contains ':'.", 3);
    f.detail =
        "Character(s) ':' not allowed in revision identifier 'rev:1'; Alembic refuses to "
        "load the history (':' is rejected since Alembic 1.17.1). Revision ids may not "
        "contain @ - + :.";
    return std::vector<Finding>{f};
  };
  std::vector<Finding> old = colon();
  apply_alembic_version(old, constraint("==1.13.2"));
  EXPECT_EQ(old[0].severity, Severity::Warning);
  EXPECT_EQ(old[0].message, "Revision id 'rev:1' contains ':'.");
  EXPECT_NE(old[0].detail.find("Alembic 1.13.2 still loads it"), std::string::npos);
  EXPECT_NE(old[0].detail.find("(Character(s) ':' not allowed in revision identifier 'rev:1')"),
            std::string::npos);
  std::vector<Finding> now = colon();
  apply_alembic_version(now, constraint("==1.18.4"));
  EXPECT_EQ(now[0].severity, Severity::Error);
  EXPECT_EQ(now, colon());
  // Any other character is refused by every version.
  std::vector<Finding> dash = {finding(codes::kInvalidRevisionId, Severity::Error,
                                       "Character(s) '-' not allowed in revision identifier 'a-b'",
                                       3)};
  apply_alembic_version(dash, constraint("==1.8.1"));
  EXPECT_EQ(dash[0].severity, Severity::Error);
}

}  // namespace
}  // namespace alembic
