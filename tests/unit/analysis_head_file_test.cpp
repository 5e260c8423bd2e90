// The head file (analysis/head_file.h): the head-file setting, reading and writing the
// file, and head-file-mismatch findings (missing, stale, unknown id, several heads,
// git conflict markers with the fork point and both sides).
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "analysis/head_file.h"
#include "analysis/settings.h"
#include "graph_test_support.h"

using namespace alembic;
using namespace graph_test;
namespace fs = std::filesystem;

namespace {

const PathNamer kName = [](const fs::path& p) { return p.string(); };

Environment environment(const std::string& dir, const std::string& section = "alembic") {
  Environment env;
  env.name = dir;
  env.config_path = fs::path("/p") / "alembic.ini";
  env.config_section = section;
  env.script_location = fs::path("/p") / dir;
  env.version_locations = {env.script_location / "versions"};
  return env;
}

Settings settings_of(const std::string& toml) {
  Settings s = parse_settings(toml, "pyproject.toml");
  s.file = "/p/pyproject.toml";
  return s;
}

struct OneEnv {
  Environment env = environment("migrations");
  GraphAnalysis graph;
  explicit OneEnv(const std::vector<Script>& scripts) : graph(analyze(scripts)) {}
  HeadFile file(const std::string& toml = "[tool.alembic-lsp]\nhead-file = \"migrations/HEAD\"\n") {
    std::vector<Finding> problems;
    std::vector<HeadFile> files = head_files(settings_of(toml), {{&env, &graph}}, kName, &problems);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(files.size(), 1u);
    return files.at(0);
  }
};

std::vector<Script> linear() {
  return {rev("aaa1", {}), rev("bbb2", {"aaa1"})};
}

std::vector<Script> forked() {
  return {rev("aaa1", {}), rev("bbb2", {"aaa1"}), rev("ccc3", {"bbb2"}), rev("ddd4", {"bbb2"})};
}

}  // namespace

TEST(HeadFileSetting, PathAndTableAreRead) {
  Settings s = settings_of("[tool.alembic-lsp]\nhead-file = \"migrations/HEAD\"\n");
  EXPECT_TRUE(s.problems.empty());
  ASSERT_TRUE(s.head_file);
  EXPECT_EQ(*s.head_file, "migrations/HEAD");
  EXPECT_EQ(s.head_file_line, 1u);
  Settings t = settings_of(
      "[tool.alembic-lsp]\nhead-file = { \"migrations\" = \"migrations/HEAD\", \"audit\" = "
      "\"audit/HEAD\" }\n");
  EXPECT_TRUE(t.problems.empty());
  EXPECT_EQ(t.head_file_by_environment.size(), 2u);
  EXPECT_EQ(t.head_file_by_environment.at("audit"), "audit/HEAD");
}

TEST(HeadFileSetting, BadValuesNameTheKeyAndTheFile) {
  for (const char* bad :
       {"head-file = 3", "head-file = \"\"", "head-file = \"/etc/HEAD\"", "head-file = \"../HEAD\"",
        "head-file = \"migrations/\"", "head-file = { migrations = 1 }"}) {
    Settings s = settings_of(std::string("[tool.alembic-lsp]\n") + bad + "\n");
    ASSERT_EQ(s.problems.size(), 1u) << bad;
    const std::string message = full_message(s.problems[0]);
    EXPECT_NE(message.find("head-file"), std::string::npos) << message;
    EXPECT_NE(message.find("[tool.alembic-lsp]"), std::string::npos) << message;
    EXPECT_EQ(s.problems[0].location.path, "pyproject.toml");
    EXPECT_EQ(s.problems[0].location.range.start_line, 1u) << bad;
    EXPECT_FALSE(s.head_file) << bad;
  }
  Settings typo = settings_of("[tool.alembic-lsp]\nhead_file = \"HEAD\"\n");
  ASSERT_EQ(typo.problems.size(), 1u);
  EXPECT_NE(full_message(typo.problems[0]).find("did you mean 'head-file'"), std::string::npos)
      << full_message(typo.problems[0]);
}

TEST(HeadFile, ParsesCommentsKeysAndSeveralIds) {
  const auto entries = parse_head_file("# comment\n\nabc\nsvc/m [x]: d1 d2\r\n");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].key, "");
  EXPECT_EQ(entries[0].ids, (Ids{"abc"}));
  EXPECT_EQ(entries[0].line, 2u);
  EXPECT_EQ(entries[1].key, "svc/m [x]");
  EXPECT_EQ(entries[1].ids, (Ids{"d1", "d2"}));
}

TEST(HeadFile, ExpectedTextIsACommentAndTheHead) {
  OneEnv e(linear());
  const HeadFile file = e.file();
  EXPECT_EQ(file.path, fs::path("/p/migrations/HEAD"));
  const std::string text = expected_head_file(file);
  EXPECT_TRUE(text.starts_with("# The head revision")) << text;
  EXPECT_NE(text.find("git conflict"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\nbbb2\n")) << text;
  EXPECT_TRUE(head_file_findings(file, text).empty());
  // The same id alone, without the comment, is right too.
  EXPECT_TRUE(head_file_findings(file, std::string("bbb2\n")).empty());
}

TEST(HeadFile, StaleUnknownAndMissingAreReported) {
  OneEnv e(linear());
  const HeadFile file = e.file();
  auto stale = head_file_findings(file, std::string("# x\naaa1\n"));
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].code, "head-file-mismatch");
  EXPECT_EQ(stale[0].severity, Severity::Error);
  EXPECT_EQ(stale[0].location.path, "/p/migrations/HEAD");
  EXPECT_EQ(stale[0].location.range.start_line, 1u);
  EXPECT_NE(stale[0].message.find("names aaa1 but the head is bbb2"), std::string::npos)
      << stale[0].message;
  EXPECT_EQ(stale[0].revisions, (Ids{"bbb2"}));

  auto unknown = head_file_findings(file, std::string("zzz9\n"));
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].message.find("'zzz9', which is no revision"), std::string::npos);

  auto empty = head_file_findings(file, std::string("# only a comment\n"));
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_NE(empty[0].message.find("no line"), std::string::npos) << empty[0].message;

  auto missing = head_file_findings(file, std::nullopt);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].location.path, "pyproject.toml");
  EXPECT_EQ(missing[0].location.range.start_line, 1u);
  EXPECT_NE(missing[0].message.find("does not exist"), std::string::npos);
}

TEST(HeadFile, SeveralHeadsAreReported) {
  OneEnv e(forked());
  auto f = head_file_findings(e.file(), std::string("ccc3\n"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("has 2 heads"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].revisions, (Ids{"ccc3", "ddd4"}));
}

TEST(HeadFile, ConflictMarkersSayWhatForkedAndHowToResolve) {
  OneEnv e(forked());
  const std::string text = "# comment\n<<<<<<< HEAD\nccc3\n=======\nddd4\n>>>>>>> feature-b\n";
  auto f = head_file_findings(e.file(), text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].code, "head-file-mismatch");
  EXPECT_NE(f[0].message.find("two branches each added a migration on head bbb2"),
            std::string::npos)
      << f[0].message;
  const std::string full = full_message(f[0]);
  EXPECT_NE(full.find("'HEAD') names ccc3"), std::string::npos) << full;
  EXPECT_NE(full.find("'feature-b') names ddd4"), std::string::npos) << full;
  EXPECT_NE(full.find("alembic-lsp merge"), std::string::npos) << full;
  EXPECT_NE(full.find("rebase"), std::string::npos) << full;
  EXPECT_EQ(f[0].revisions, (Ids{"ccc3", "ddd4"}));
  EXPECT_EQ(f[0].location.range.start_line, 1u);
  EXPECT_EQ(f[0].location.range.end_line, 6u);
  // The lines inside the block are no entries of the file.
  EXPECT_TRUE(parse_head_file(text).empty());
}

TEST(HeadFile, NewRevisionAndMergeGiveTheNewText) {
  OneEnv e(forked());
  const HeadFile file = e.file();
  EXPECT_EQ(heads_after_new_revision(e.graph, "eee5", {"ccc3", "ddd4"}), (Ids{"eee5"}));
  EXPECT_EQ(heads_after_new_revision(e.graph, "eee5", {"ccc3"}), (Ids{"ddd4", "eee5"}));
  const std::string text = head_file_text_with(file, &e.env, {"eee5"});
  EXPECT_TRUE(text.ends_with("\neee5\n")) << text;
  EXPECT_EQ(parse_head_file(text).size(), 1u);
}

TEST(HeadFile, SeveralEnvironmentsShareOneFileWithKeyedLines) {
  Environment a = environment("migrations");
  Environment b = environment("audit/migrations", "audit");
  GraphAnalysis ga = analyze(linear());
  GraphAnalysis gb = analyze({rev("fff1", {})});
  std::vector<Finding> problems;
  const auto files = head_files(settings_of("[tool.alembic-lsp]\nhead-file = \"HEADS\"\n"),
                                {{&a, &ga}, {&b, &gb}}, kName, &problems);
  ASSERT_EQ(files.size(), 1u);
  const HeadFile& file = files[0];
  EXPECT_TRUE(file.keyed_lines);
  const std::string text = expected_head_file(file);
  EXPECT_NE(text.find("\naudit/migrations [audit]: fff1\nmigrations: bbb2\n"), std::string::npos)
      << text;
  EXPECT_TRUE(head_file_findings(file, text).empty());
  auto wrong = head_file_findings(file, std::string("migrations: aaa1\nother: x\n"));
  ASSERT_EQ(wrong.size(), 3u);  // stale, a missing line, an unknown key
  EXPECT_NE(wrong[0].message.find("no line for audit/migrations [audit]"), std::string::npos)
      << wrong[0].message;
  EXPECT_NE(wrong[1].message.find("names aaa1 for migrations"), std::string::npos)
      << wrong[1].message;
  EXPECT_NE(wrong[2].message.find("environment 'other'"), std::string::npos) << wrong[2].message;
}

TEST(HeadFile, TableGivesOneFilePerEnvironmentAndWarnsOnUnknownNames) {
  Environment a = environment("migrations");
  Environment b = environment("audit/migrations", "audit");
  GraphAnalysis ga = analyze(linear());
  GraphAnalysis gb = analyze({rev("fff1", {})});
  std::vector<Finding> problems;
  const auto files = head_files(
      settings_of("[tool.alembic-lsp]\nhead-file = { migrations = \"migrations/HEAD\", audit = "
                  "\"audit/HEAD\", nope = \"x\" }\n"),
      {{&a, &ga}, {&b, &gb}}, kName, &problems);
  ASSERT_EQ(files.size(), 2u);
  for (const HeadFile& f : files) {
    EXPECT_FALSE(f.keyed_lines);
    ASSERT_EQ(f.subjects.size(), 1u);
  }
  EXPECT_TRUE(expected_head_file(files[0]).ends_with("\nfff1\n"));  // audit sorts first
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, "config-warning");
  EXPECT_NE(problems[0].message.find("'nope' names no environment"), std::string::npos)
      << problems[0].message;
}
