// analyze_into keeps each script's own findings in its Script (the server's cache) and
// reuses them: it must answer exactly what a fresh analyze() answers, and new values
// (Script::set_parsed) must not be answered with the old values' findings.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "analysis/findings.h"
#include "analysis/graph.h"
#include "analysis/parser.h"
#include "graph_test_support.h"

using namespace alembic;

namespace {

using graph_test::migration;

std::vector<Script> history() {
  std::vector<Script> s;
  s.push_back({"versions/a.py", parse_migration(migration("a", "", "a"))});
  s.push_back({"versions/b.py", parse_migration(migration("b", "a", "zz"))});  // mismatch
  s.push_back({"versions/c.py", parse_migration(migration("c", "b", "zz"))});
  s.push_back({"versions/d.py", parse_migration(migration("d", "q", "d"))});  // missing
  return s;
}

// What add_script_findings yields for the script, computed now.
std::vector<Finding> own_findings(const Script& script) {
  std::vector<Finding> out;
  add_script_findings(script, out);
  return out;
}

bool has_code(const GraphAnalysis& g, std::string_view code) {
  for (const Finding& f : g.findings)
    if (f.code == code) return true;
  return false;
}

}  // namespace

TEST(ScriptFindingsKept, AnalyzeIntoKeepsEachScriptsOwnFindingsAndAnswersAsAFreshAnalysis) {
  std::vector<Script> scripts = history();
  GraphAnalysis fresh = analyze(scripts);
  for (const Script& s : scripts) EXPECT_FALSE(s.own_findings) << s.path;  // analyze keeps none
  GraphAnalysis kept;
  analyze_into(kept, scripts, {});
  ASSERT_FALSE(fresh.findings.empty());
  EXPECT_EQ(kept.findings, fresh.findings);
  EXPECT_EQ(kept.heads, fresh.heads);
  EXPECT_TRUE(has_code(kept, codes::kHeaderMismatch));
  EXPECT_TRUE(has_code(kept, codes::kMissingRevision));
  for (const Script& s : scripts) {
    ASSERT_TRUE(s.own_findings) << s.path;
    EXPECT_EQ(*s.own_findings, own_findings(s)) << s.path;
  }
  EXPECT_FALSE(scripts[1].own_findings->empty());  // b's header names another id
  // Again, from what was kept.
  analyze_into(kept, scripts, {});
  EXPECT_EQ(kept.findings, fresh.findings);
}

TEST(ScriptFindingsKept, KeptFindingsAreReusedAndSetParsedForgetsThem) {
  std::vector<Script> scripts = history();
  GraphAnalysis kept;
  analyze_into(kept, scripts, {});
  // A planted finding shows that the kept ones are read, not computed again.
  Finding planted;
  planted.code = "planted";
  planted.location.path = scripts[0].path;
  scripts[0].own_findings->push_back(planted);
  analyze_into(kept, scripts, {});
  EXPECT_TRUE(has_code(kept, "planted"));
  // New values for the script: what was kept for the old ones goes.
  scripts[0].set_parsed(parse_migration(migration("a", "", "a")));
  EXPECT_FALSE(scripts[0].own_findings);
  analyze_into(kept, scripts, {});
  EXPECT_FALSE(has_code(kept, "planted"));
  EXPECT_EQ(kept.findings, analyze(scripts).findings);
}

TEST(ScriptFindingsKept, EditedScriptsGetTheirOwnFindingsAgain) {
  std::vector<Script> scripts = history();
  GraphAnalysis kept;
  analyze_into(kept, scripts, {});
  // Fix b's header (the one-script path) ...
  scripts[1].set_parsed(parse_migration(migration("b", "a", "b")));
  analyze_into(kept, scripts, {}, 1);
  EXPECT_TRUE(kept.memo.last_was_update);
  EXPECT_EQ(kept.findings, analyze(scripts).findings);
  EXPECT_TRUE(scripts[1].own_findings && scripts[1].own_findings->empty());
  // ... then break c's header and turn it into a base, told nothing: both analysed again.
  scripts[2].set_parsed(parse_migration(migration("c", "", "zz")));
  analyze_into(kept, scripts, {});
  EXPECT_FALSE(kept.memo.last_was_update);
  EXPECT_EQ(kept.findings, analyze(scripts).findings);
  EXPECT_TRUE(has_code(kept, codes::kHeaderMismatch));
  for (const Finding& f : kept.findings) {
    if (f.code == codes::kHeaderMismatch) {
      EXPECT_EQ(f.location.path, scripts[2].path);
    }
  }
  EXPECT_EQ(kept.bases, (std::vector<std::string>{"a", "c"}));
}
