// [tool.alembic-lsp] settings: every key, wrong types, unknown keys with their line,
// the pyproject.toml search, analysis options per environment and the post-filter.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "analysis/findings.h"
#include "analysis/parser.h"
#include "analysis/settings.h"

using namespace alembic;
namespace fs = std::filesystem;

namespace {

Finding finding(const std::string& code, Severity s = Severity::Error) {
  Finding f;
  f.code = code;
  f.severity = s;
  f.location.path = "v/a.py";
  return f;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "settings-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const fs::path& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel) << text;
  }
};

// The options of an environment called `name`, alone or among `others`.
AnalysisOptions options_for(const Settings& s, const std::string& name,
                            const std::vector<Environment>& others = {}) {
  Environment env;
  env.name = name;
  std::vector<const Environment*> all{&env};
  for (const Environment& o : others) all.push_back(&o);
  return analysis_options(s, env, all);
}

Environment named(const std::string& name, const std::string& section = "alembic") {
  Environment env;
  env.name = name;
  env.config_section = section;
  return env;
}

}  // namespace

TEST(Settings, NoTableGivesDefaults) {
  Settings s = parse_settings("[project]\nname = 'x'\n", "pyproject.toml");
  EXPECT_FALSE(s.has_table);
  EXPECT_TRUE(s.problems.empty());
  AnalysisOptions o = options_for(s, "migrations");
  EXPECT_EQ(o.expected_heads, -1);
  EXPECT_FALSE(o.allow_multiple_heads);
}

TEST(Settings, ReadsEveryKey) {
  Settings s = parse_settings(R"([tool.alembic-lsp]
expected-heads = 2
allow-multiple-heads = true
ignore = ["header-mismatch", "syntax-error"]
severity = { unresolved-value = "info", multiple-heads = "warning", empty-down-revision = "off", not-a-migration = "hint" }
)",
                              "pyproject.toml");
  EXPECT_TRUE(s.has_table);
  EXPECT_TRUE(s.problems.empty()) << s.problems.front().message;
  EXPECT_EQ(s.expected_heads, 2);
  EXPECT_EQ(s.allow_multiple_heads, true);
  EXPECT_EQ(s.ignore, (std::set<std::string>{"header-mismatch", "syntax-error"}));
  ASSERT_EQ(s.severity.size(), 4u);
  EXPECT_EQ(s.severity.at("unresolved-value"), Severity::Information);
  EXPECT_EQ(s.severity.at("multiple-heads"), Severity::Warning);
  EXPECT_EQ(s.severity.at("not-a-migration"), Severity::Hint);
  EXPECT_FALSE(s.severity.at("empty-down-revision").has_value());
  AnalysisOptions o = options_for(s, "anything");
  EXPECT_EQ(o.expected_heads, 2);
  EXPECT_TRUE(o.allow_multiple_heads);
}

TEST(Settings, ExpectedHeadsPerEnvironment) {
  Settings s = parse_settings(R"([tool.alembic-lsp.expected-heads]
migrations = 1
"services/audit/migrations" = 2
)",
                              "pyproject.toml");
  EXPECT_TRUE(s.problems.empty());
  EXPECT_EQ(options_for(s, "migrations").expected_heads, 1);
  EXPECT_EQ(options_for(s, "services/audit/migrations").expected_heads, 2);
  EXPECT_EQ(options_for(s, "other").expected_heads, -1);

  const Environment a = named("migrations"), b = named("services/audit");
  auto unknown = unknown_environment_findings(s, {&a, &b});
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].code, "config-warning");
  EXPECT_NE(full_message(unknown[0]).find("'services/audit/migrations'"), std::string::npos);
  EXPECT_EQ(unknown[0].location.path, "pyproject.toml");
  EXPECT_EQ(unknown[0].location.range.start_line, 2u);  // 0-based: the third line
}

TEST(Settings, ExpectedHeadsKeysAsPeopleTypeThem) {
  // An ini section (`-n core`) and a trailing part of the path name an environment, as
  // --name does; a key that names several is reported with the choices and applies to none.
  Settings s = parse_settings(R"([tool.alembic-lsp.expected-heads]
core = 2
"audit/migrations" = 3
migrations = 4
)",
                              "pyproject.toml");
  const Environment core = named("a[core]", "core"), plain = named("a"),
                    audit = named("services/audit/migrations"),
                    billing = named("services/billing/migrations");
  const std::vector<const Environment*> all{&core, &plain, &audit, &billing};
  EXPECT_EQ(analysis_options(s, core, all).expected_heads, 2);
  EXPECT_EQ(analysis_options(s, plain, all).expected_heads, -1);
  EXPECT_EQ(analysis_options(s, audit, all).expected_heads, 3);  // `migrations` is ambiguous
  EXPECT_EQ(analysis_options(s, billing, all).expected_heads, -1);
  auto problems = unknown_environment_findings(s, all);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("'migrations' names several environments"), std::string::npos)
      << problems[0].message;
  EXPECT_NE(
      full_message(problems[0]).find("'services/audit/migrations', 'services/billing/migrations'"),
      std::string::npos)
      << problems[0].message;
  EXPECT_EQ(problems[0].location.range.start_line, 3u);
  // The full name wins over a shorter key naming the same environment.
  Settings both = parse_settings("[tool.alembic-lsp.expected-heads]\n\"a[core]\" = 5\ncore = 2\n",
                                 "pyproject.toml");
  EXPECT_EQ(analysis_options(both, core, all).expected_heads, 5);
  // Unknown: the message lists every environment found.
  Settings typo = parse_settings("[tool.alembic-lsp.expected-heads]\ncroe = 2\n", "pyproject.toml");
  auto unknown = unknown_environment_findings(typo, all);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(full_message(unknown[0]).find("'a[core]', 'a', 'services/audit/migrations'"),
            std::string::npos)
      << unknown[0].message;
}

TEST(Settings, UnknownKeyNamesKeyFileAndLine) {
  Settings s = parse_settings("[tool.alembic-lsp]\nignore = []\n\nexpected_heads = 1\nfoo = 3\n",
                              "sub/pyproject.toml");
  ASSERT_EQ(s.problems.size(), 2u);
  const Finding& typo = s.problems[0];
  EXPECT_EQ(typo.code, "config-warning");
  EXPECT_EQ(typo.severity, Severity::Warning);
  EXPECT_EQ(typo.location.path, "sub/pyproject.toml");
  EXPECT_EQ(typo.location.range.start_line, 3u);
  EXPECT_EQ(typo.location.range.start_column, 0u);
  EXPECT_NE(full_message(typo).find("'expected_heads'"), std::string::npos);
  EXPECT_NE(full_message(typo).find("did you mean 'expected-heads'"), std::string::npos);
  EXPECT_NE(full_message(typo).find("sub/pyproject.toml"), std::string::npos);
  EXPECT_NE(full_message(typo).find("line 4"), std::string::npos);
  EXPECT_NE(full_message(s.problems[1]).find("'foo'"), std::string::npos);
  EXPECT_FALSE(s.expected_heads.has_value());  // the misspelt key is not read
}

TEST(Settings, WrongTypesAreReportedAndIgnored) {
  Settings s = parse_settings(R"([tool.alembic-lsp]
expected-heads = "two"
allow-multiple-heads = "yes"
ignore = "header-mismatch"
severity = { multiple-heads = "fatal", nonsense-code = "off" }
)",
                              "pyproject.toml");
  EXPECT_FALSE(s.expected_heads.has_value());
  EXPECT_FALSE(s.allow_multiple_heads.has_value());
  EXPECT_TRUE(s.ignore.empty());
  EXPECT_FALSE(s.severity.contains("multiple-heads"));
  // nonsense-code: unknown code (reported) but kept, harmless
  ASSERT_EQ(s.problems.size(), 5u);
  for (const auto& p : s.problems) EXPECT_EQ(p.code, "config-warning");
  EXPECT_EQ(s.problems[0].location.range.start_line, 1u);
}

TEST(Settings, NegativeHeadCountIsRejected) {
  Settings s = parse_settings("[tool.alembic-lsp]\nexpected-heads = -1\n", "p");
  EXPECT_FALSE(s.expected_heads.has_value());
  ASSERT_EQ(s.problems.size(), 1u);
}

TEST(Settings, UnknownCodeInIgnoreIsReported) {
  Settings s = parse_settings("[tool.alembic-lsp]\nignore = ['multiple-head']\n", "p");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_NE(full_message(s.problems[0]).find("'multiple-head'"), std::string::npos);
}

TEST(Settings, InvalidTomlIsAWarning) {
  Settings s = parse_settings("[tool.alembic-lsp\nx = 1\n", "pyproject.toml");
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].code, "config-warning");
  EXPECT_NE(full_message(s.problems[0]).find("not valid TOML"), std::string::npos);
}

TEST(Settings, InvalidTomlWithoutOurTableIsLeftToDiscovery) {
  Settings s = parse_settings("[tool.alembic\nscript_location = 'x'\n", "pyproject.toml");
  EXPECT_TRUE(s.problems.empty());
  EXPECT_FALSE(s.has_table);
}

TEST(Settings, TableMustBeATable) {
  Settings s = parse_settings("[tool]\nalembic-lsp = 3\n", "p");
  EXPECT_TRUE(s.has_table);
  ASSERT_EQ(s.problems.size(), 1u);
}

TEST(Settings, ApplyDropsIgnoredAndOffAndRemaps) {
  Settings s = parse_settings(R"([tool.alembic-lsp]
ignore = ["header-mismatch"]
severity = { syntax-error = "off", multiple-heads = "warning" }
)",
                              "p");
  std::vector<Finding> findings = {finding("header-mismatch", Severity::Warning),
                                   finding("multiple-heads"), finding("syntax-error"),
                                   finding("missing-revision")};
  apply_settings(findings, s);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].code, "multiple-heads");
  EXPECT_EQ(findings[0].severity, Severity::Warning);
  EXPECT_EQ(findings[1].code, "missing-revision");
  EXPECT_EQ(findings[1].severity, Severity::Error);
}

TEST(Settings, KnownCodesCoverTheEngine) {
  const auto& codes = known_finding_codes();
  for (const char* c :
       {"multiple-heads", "missing-revision", "duplicate-revision", "revision-cycle",
        "unexpected-base", "branch-label-conflict", "invalid-revision-id", "unresolved-value",
        "header-mismatch", "syntax-error", "not-a-migration", "missing-down-revision",
        "empty-down-revision", "unread-migrations", "io-error", "config-error", "config-warning"})
    EXPECT_NE(std::find(codes.begin(), codes.end(), c), codes.end()) << c;
}

TEST(Settings, FindsNearestPyproject) {
  TempDir t;
  t.write("pyproject.toml", "[tool.alembic-lsp]\nexpected-heads = 3\n");
  t.write("a/b/alembic.ini", "[alembic]\n");
  EXPECT_EQ(find_pyproject(t.path / "a" / "b"), t.path / "pyproject.toml");
  EXPECT_EQ(find_pyproject(t.path / "a" / "b" / "alembic.ini"), t.path / "pyproject.toml");
  t.write("a/pyproject.toml", "[project]\n");
  EXPECT_EQ(find_pyproject(t.path / "a" / "b"), t.path / "a" / "pyproject.toml");

  Settings s =
      load_settings(t.path / "a" / "b", [](const fs::path& p) { return p.filename().string(); });
  EXPECT_FALSE(s.has_table);  // the nearest file wins, even without the table
  Settings top = load_settings(t.path, [](const fs::path& p) { return p.string(); });
  EXPECT_EQ(top.expected_heads, 3);
  EXPECT_EQ(top.file, t.path / "pyproject.toml");
}

TEST(Settings, ExpectedHeadsReachTheGraph) {
  // Two heads: an error by default, information when two are expected.
  std::vector<Script> scripts = {
      {"v/a.py", parse_migration("revision = 'a'\ndown_revision = None\n")},
      {"v/b.py", parse_migration("revision = 'b'\ndown_revision = 'a'\n")},
      {"v/c.py", parse_migration("revision = 'c'\ndown_revision = 'a'\n")}};
  auto severity_of_heads = [&](const AnalysisOptions& o) {
    for (const Finding& f : analyze(scripts, o).findings)
      if (f.code == "multiple-heads") return f.severity;
    return Severity::Hint;
  };
  EXPECT_EQ(severity_of_heads({}), Severity::Error);
  Settings s = parse_settings("[tool.alembic-lsp]\nexpected-heads = 2\n", "p");
  EXPECT_EQ(severity_of_heads(options_for(s, "x")), Severity::Information);
}

TEST(Settings, KeysWithoutTableUseTheLabelAndNoLine) {
  Settings s =
      parse_settings_keys("expected-heads = 2\ncolour = 'red'\nignore = 3\n", "the editor");
  EXPECT_EQ(s.expected_heads, 2);
  ASSERT_EQ(s.problems.size(), 2u);
  std::string all = full_message(s.problems[0]) + "\n" + full_message(s.problems[1]);
  EXPECT_NE(all.find("Unknown key 'colour' in the editor. It is ignored"), std::string::npos)
      << all;
  EXPECT_NE(all.find("The editor ignore must be a list"), std::string::npos) << all;
  EXPECT_EQ(all.find("line"), std::string::npos) << all;
  EXPECT_EQ(s.problems[0].location.path, "the editor");
}

TEST(Settings, MergeProjectWinsEditorFillsIgnoreAddsUp) {
  Settings project = parse_settings(
      "[tool.alembic-lsp]\nexpected-heads = { main = 3 }\nignore = ['header-mismatch']\n"
      "severity = { multiple-heads = 'warning' }\n",
      "pyproject.toml");
  Settings editor = parse_settings_keys(
      "expected-heads = 2\nallow-multiple-heads = true\nignore = ['syntax-error']\n"
      "severity = { multiple-heads = 'off', unresolved-value = 'hint' }\n",
      "the editor");
  Settings m = merge_settings(project, editor);
  // The project set expected-heads (per environment): the editor's number is not used.
  EXPECT_FALSE(m.expected_heads.has_value());
  EXPECT_EQ(m.expected_heads_by_environment.at("main"), 3);
  EXPECT_EQ(options_for(m, "other").expected_heads, -1);
  EXPECT_EQ(m.allow_multiple_heads, true);
  EXPECT_EQ(m.ignore, (std::set<std::string>{"header-mismatch", "syntax-error"}));
  EXPECT_EQ(m.severity.at("multiple-heads"), Severity::Warning);
  EXPECT_EQ(m.severity.at("unresolved-value"), Severity::Hint);
  // Without a project table the editor's settings are the settings.
  Settings only_editor = merge_settings(Settings{}, editor);
  EXPECT_EQ(options_for(only_editor, "any").expected_heads, 2);
  EXPECT_FALSE(only_editor.severity.at("multiple-heads").has_value());
}

TEST(Settings, VersionLocationsPerEnvironment) {
  Settings s = parse_settings(
      "[tool.alembic-lsp]\n"
      "version-locations = { core = [\"m/versions/expand\", \"m/versions/contract\"], "
      "bad = \"m/versions\", worse = [1] }\n",
      "pyproject.toml");
  ASSERT_EQ(s.version_locations_by_environment.size(), 1u);
  EXPECT_EQ(s.version_locations_by_environment.at("core"),
            (std::vector<std::string>{"m/versions/expand", "m/versions/contract"}));
  ASSERT_EQ(s.problems.size(), 2u);  // a string where a list belongs; a number in a list
  for (const Finding& f : s.problems) EXPECT_EQ(f.code, "config-warning");

  // Applied to the environment it names, by ini section or by path: exactly those folders.
  s.file = fs::path("/p/pyproject.toml");
  Environment env;
  env.name = "m[core]";
  env.config_section = "core";
  env.version_locations = {"/p/m/versions"};
  env.recursive_version_locations = true;
  env.unread_folders = {"/p/m/versions/expand", "/p/m/versions/old"};
  Environment configured = with_configured_locations(env, s);
  EXPECT_EQ(configured.version_locations,
            (std::vector<fs::path>{"/p/m/versions/expand", "/p/m/versions/contract"}));
  EXPECT_FALSE(configured.recursive_version_locations);
  EXPECT_EQ(configured.unread_folders, std::vector<fs::path>{"/p/m/versions/old"});
  env.name = "other";
  env.config_section = "alembic";
  EXPECT_EQ(with_configured_locations(env, s).version_locations, env.version_locations);
}
