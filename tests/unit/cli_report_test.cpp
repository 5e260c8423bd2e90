// check --format github and --format sarif: GitHub's escaping rules, SARIF 2.1.0's
// required structure (checked here field by field against the schema's "required",
// "enum" and "minimum" constraints: no network), fingerprints and help for every code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <unistd.h>

#include "analysis/parser.h"
#include "analysis/settings.h"
#include "server/cli/report_formats.h"

using namespace alembic;
using namespace alembic::cli;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

// A temporary project directory that is also the current directory (paths in findings
// are relative to it, as the CLI prints them).
struct Workdir {
  fs::path path, old;
  Workdir() {
    std::string tmpl = (fs::temp_directory_path() / "cli-report-XXXXXX").string();
    path = fs::canonical(mkdtemp(tmpl.data()));
    old = fs::current_path();
    fs::current_path(path);
  }
  ~Workdir() {
    fs::current_path(old);
    fs::remove_all(path);
  }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << text;
  }
};

LoadedEnvironment environment(const std::vector<std::pair<std::string, std::string>>& files) {
  LoadedEnvironment env;
  env.environment.name = "migrations";
  env.environment.version_locations = {fs::current_path() / "versions"};
  for (const auto& [path, text] : files) env.scripts.push_back({path, parse_migration(text)});
  env.graph = analyze(env.scripts);
  return env;
}

std::vector<std::pair<std::string, std::string>> forked_files() {
  return {{"versions/a.py", "\"\"\"base\n\"\"\"\nrevision = 'a'\ndown_revision = None\n"},
          {"versions/b.py", "revision = 'b'\ndown_revision = 'a'\n"},
          {"versions/c.py", "revision = 'c'\ndown_revision = 'a'\n"},
          {"versions/d é.py", "# é\nrevision = 'd'\ndown_revision = 'nope'  # ü\n"}};
}

void require(const ordered_json& object, std::initializer_list<const char*> keys,
             const std::string& where) {
  ASSERT_TRUE(object.is_object()) << where << " is not an object";
  for (const char* key : keys) EXPECT_TRUE(object.contains(key)) << where << " lacks " << key;
}

void check_message(const ordered_json& m, const std::string& where) {
  require(m, {"text"}, where);
  EXPECT_TRUE(m["text"].is_string()) << where;
}

void check_physical_location(const ordered_json& p, const std::string& where) {
  require(p, {"artifactLocation", "region"}, where);
  const auto& a = p["artifactLocation"];
  require(a, {"uri"}, where + ".artifactLocation");
  const std::string uri = a["uri"];
  // uri-reference: no spaces or raw non-ASCII; relative ones resolve against uriBaseId.
  EXPECT_TRUE(std::regex_match(uri, std::regex("[A-Za-z0-9._~/%:-]+"))) << uri;
  if (uri.rfind("file:", 0) != 0) {
    EXPECT_EQ(a.value("uriBaseId", ""), "%SRCROOT%") << where;
  }
  const auto& r = p["region"];
  for (const char* k : {"startLine", "startColumn", "endLine", "endColumn"}) {
    ASSERT_TRUE(r.contains(k)) << where << " region lacks " << k;
    EXPECT_TRUE(r[k].is_number_integer());
    EXPECT_GE(r[k].get<long>(), 1) << where << " " << k;
  }
  EXPECT_GE(r["endLine"].get<long>(), r["startLine"].get<long>());
  if (r["endLine"] == r["startLine"]) {
    EXPECT_GE(r["endColumn"].get<long>(), r["startColumn"].get<long>());
  }
}

// The constraints of the SARIF 2.1.0 JSON schema that apply to what we emit.
void check_sarif(const ordered_json& log) {
  require(log, {"version", "runs", "$schema"}, "sarifLog");
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_TRUE(log["runs"].is_array());
  ASSERT_EQ(log["runs"].size(), 1u);
  const auto& run = log["runs"][0];
  require(run, {"tool", "results"}, "run");
  require(run["tool"], {"driver"}, "tool");
  const auto& driver = run["tool"]["driver"];
  require(driver, {"name", "version", "rules"}, "driver");
  EXPECT_EQ(driver["name"], "alembic-lsp");
  const std::set<std::string> levels = {"none", "note", "warning", "error"};
  std::vector<std::string> rule_ids;
  for (const auto& rule : driver["rules"]) {
    require(rule, {"id", "shortDescription", "fullDescription", "help", "defaultConfiguration"},
            "rule");
    rule_ids.push_back(rule["id"]);
    check_message(rule["shortDescription"], "shortDescription");
    check_message(rule["fullDescription"], "fullDescription");
    require(rule["help"], {"text", "markdown"}, "help");
    // The rule page, found in the source tree this test binary was built from.
    EXPECT_EQ(rule.value("helpUri", ""), "file://" + std::string(ALEMBIC_SOURCE_DIR) +
                                             "/docs/rules/" + rule["id"].get<std::string>() +
                                             ".md");
    EXPECT_TRUE(levels.contains(rule["defaultConfiguration"]["level"].get<std::string>()));
  }
  std::set<std::string> unique(rule_ids.begin(), rule_ids.end());
  EXPECT_EQ(unique.size(), rule_ids.size()) << "rule ids must be unique";
  if (run.contains("originalUriBaseIds")) {
    const std::string root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"];
    EXPECT_EQ(root.rfind("file:///", 0), 0u);
    EXPECT_EQ(root.back(), '/');  // SARIF: a base URI ends with a slash
  }
  for (const auto& result : run["results"]) {
    require(result, {"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"},
            "result");
    check_message(result["message"], "result.message");
    EXPECT_TRUE(levels.contains(result["level"].get<std::string>()));
    const long index = result["ruleIndex"];
    ASSERT_GE(index, 0);
    ASSERT_LT(static_cast<size_t>(index), rule_ids.size());
    EXPECT_EQ(rule_ids[static_cast<size_t>(index)], result["ruleId"]);
    ASSERT_EQ(result["locations"].size(), 1u);
    check_physical_location(result["locations"][0]["physicalLocation"], "result.location");
    for (const auto& [key, value] : result["partialFingerprints"].items())
      EXPECT_TRUE(value.is_string()) << key;
    if (result.contains("relatedLocations"))
      for (const auto& related : result["relatedLocations"]) {
        EXPECT_GE(related["id"].get<long>(), 0);
        check_physical_location(related["physicalLocation"], "relatedLocation");
        check_message(related["message"], "relatedLocation.message");
      }
  }
}

}  // namespace

TEST(GithubReport, EscapesLikeTheActionsToolkit) {
  EXPECT_EQ(github_escape_data("50% done\r\nnext: a, b"), "50%25 done%0D%0Anext: a, b");
  EXPECT_EQ(github_escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
}

TEST(GithubReport, OneCommandPerFindingWithPositions) {
  Workdir w;
  for (const auto& [p, t] : forked_files()) w.write(p, t);
  std::vector<LoadedEnvironment> envs = {environment(forked_files())};
  std::ostringstream out;
  write_github_report(out, envs);
  const std::string text = out.str();
  // The head b, on the `revision` line 1, columns 12..15 ('b' with quotes).
  EXPECT_NE(
      text.find("::error file=versions/b.py,line=1,endLine=1,col=12,endColumn=15,"
                "title=multiple-heads::Head b is one of 3 heads.%0A`alembic upgrade head` fails"),
      std::string::npos)
      << text;
  // A missing parent, after a non-ASCII comment: columns in UTF-16 code units.
  EXPECT_NE(text.find("::error file=versions/d é.py,line=3,endLine=3,col=17,endColumn=23,"
                      "title=missing-revision::"),
            std::string::npos)
      << text;
  std::istringstream lines(text);
  std::string line;
  size_t commands = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("::", 0) != 0) continue;
    ++commands;
    EXPECT_TRUE(std::regex_match(line, std::regex("::(error|warning|notice) file=[^,]+,line=\\d+,"
                                                  "endLine=\\d+(,col=\\d+,endColumn=\\d+)?,"
                                                  "title=[a-z-]+::.+")))
        << line;
  }
  size_t findings = 0;
  for (const auto& env : envs) findings += env.graph.findings.size();
  EXPECT_EQ(commands, findings);
  EXPECT_NE(text.find("errors, "), std::string::npos);
}

TEST(SarifReport, SatisfiesTheSchemaAndMapsEveryFinding) {
  Workdir w;
  for (const auto& [p, t] : forked_files()) w.write(p, t);
  std::vector<LoadedEnvironment> envs = {environment(forked_files())};
  const ordered_json log = sarif_report(envs);
  check_sarif(log);
  const auto& results = log["runs"][0]["results"];
  EXPECT_EQ(results.size(), envs[0].graph.findings.size());
  bool saw_missing = false;
  for (const auto& r : results) {
    if (r["ruleId"] != "missing-revision") continue;
    saw_missing = true;
    const auto& loc = r["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uri"], "versions/d%20%C3%A9.py");
    EXPECT_EQ(loc["region"]["startLine"], 3);
    EXPECT_EQ(loc["region"]["startColumn"], 17);
    EXPECT_EQ(loc["region"]["endColumn"], 23);
    EXPECT_EQ(r["level"], "error");
  }
  EXPECT_TRUE(saw_missing);
}

TEST(SarifReport, EmptyRunIsValid) {
  Workdir w;
  std::vector<LoadedEnvironment> none;
  check_sarif(sarif_report(none));
}

TEST(SarifReport, EveryKnownCodeHasHelp) {
  for (const std::string& code : known_finding_codes()) {
    const FindingRule* help = find_rule(code);
    ASSERT_NE(help, nullptr) << code;
    EXPECT_FALSE(help->title.empty());
    EXPECT_GT(help->full.size(), 40u) << code;
    EXPECT_FALSE(help->fix.empty()) << code;
  }
  EXPECT_EQ(kFindingRules.size(), known_finding_codes().size());
}

TEST(SarifReport, FingerprintsAreStableAndDiscriminating) {
  Finding f;
  f.code = "multiple-heads";
  f.revisions = {"a", "b"};
  const std::string one = finding_fingerprint(f, "versions/b.py");
  EXPECT_EQ(one.size(), 16u);
  EXPECT_EQ(one, finding_fingerprint(f, "versions/b.py"));
  f.message = "another text";
  f.location.range.start_line = 9;
  EXPECT_EQ(one, finding_fingerprint(f, "versions/b.py"));  // not the message or position
  EXPECT_NE(one, finding_fingerprint(f, "versions/c.py"));
  f.revisions = {"a", "c"};
  EXPECT_NE(one, finding_fingerprint(f, "versions/b.py"));
  f.revisions = {"ab"};  // fields are separated: {"a","b"} != {"ab"}
  EXPECT_NE(one, finding_fingerprint(f, "versions/b.py"));
}

TEST(ReportPaths, RelativeToRoot) {
  Workdir w;
  w.write("x/y.py", "");
  EXPECT_EQ(relative_to_root("x/y.py", w.path), "x/y.py");
  EXPECT_EQ(relative_to_root((w.path / "x/y.py").string(), w.path), "x/y.py");
  EXPECT_FALSE(relative_to_root("/etc/passwd", w.path));
}

TEST(ReportPaths, Utf16Columns) {
  Workdir w;
  w.write("u.py", "a = 'é😀x'\n");
  Utf16Columns c;
  EXPECT_EQ(c.column("u.py", 0, 0), 1u);
  EXPECT_EQ(c.column("u.py", 0, 5), 6u);   // before é
  EXPECT_EQ(c.column("u.py", 0, 7), 7u);   // after é (2 bytes, 1 unit)
  EXPECT_EQ(c.column("u.py", 0, 11), 9u);  // after 😀 (4 bytes, 2 units)
  EXPECT_EQ(c.column("missing.py", 3, 7), 8u);
}
