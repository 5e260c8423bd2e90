// analyze() with the per-script findings given by the caller (the server's cache) must
// answer exactly what a fresh analyze() answers, and a stale-sized cache is ignored.
#include <gtest/gtest.h>

#include <string>
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

std::vector<std::vector<Finding>> own_findings(const std::vector<Script>& scripts) {
  std::vector<std::vector<Finding>> out(scripts.size());
  for (size_t i = 0; i < scripts.size(); ++i) add_script_findings(scripts[i], out[i]);
  return out;
}

}  // namespace

TEST(ScriptFindingsCache, SameFindingsAsAFreshAnalysis) {
  std::vector<Script> scripts = history();
  GraphAnalysis fresh = analyze(scripts);
  GraphAnalysis cached = analyze(scripts, {}, own_findings(scripts));
  ASSERT_FALSE(fresh.findings.empty());
  EXPECT_EQ(cached.findings, fresh.findings);
  EXPECT_EQ(cached.heads, fresh.heads);
  bool mismatch = false, missing = false;
  for (const Finding& f : cached.findings) {
    mismatch |= f.code == codes::kHeaderMismatch;
    missing |= f.code == codes::kMissingRevision;
  }
  EXPECT_TRUE(mismatch);
  EXPECT_TRUE(missing);
}

TEST(ScriptFindingsCache, ACacheOfTheWrongSizeIsIgnored) {
  std::vector<Script> scripts = history();
  GraphAnalysis fresh = analyze(scripts);
  std::vector<std::vector<Finding>> stale = own_findings(scripts);
  stale.pop_back();
  EXPECT_EQ(analyze(scripts, {}, stale).findings, fresh.findings);
}

TEST(ScriptFindingsCache, RecomputingOnlyTheEditedEntryMatchesAFreshAnalysis) {
  std::vector<Script> scripts = history();
  std::vector<std::vector<Finding>> cache = own_findings(scripts);
  // Fix b's header and turn c into a base: its own findings and the graph change.
  scripts[1].parsed = parse_migration(migration("b", "a", "b"));
  cache[1].clear();
  add_script_findings(scripts[1], cache[1]);
  scripts[2].parsed = parse_migration(migration("c", "", "c"));
  cache[2].clear();
  add_script_findings(scripts[2], cache[2]);
  GraphAnalysis fresh = analyze(scripts);
  GraphAnalysis cached = analyze(scripts, {}, cache);
  EXPECT_EQ(cached.findings, fresh.findings);
  for (const Finding& f : cached.findings) {
    EXPECT_NE(f.code, codes::kHeaderMismatch) << f.message;
  }
  EXPECT_EQ(cached.bases, (std::vector<std::string>{"a", "c"}));
}
