// Rebasing a head's branch onto another head, setting down_revision in the file's own
// style, rewriting the docstring header, and the orphaned-merge and attach fixes.
#include <gtest/gtest.h>

#include "analysis/quick_fix_plan.h"
#include "analysis/rebase_plan.h"
#include "edit_test_support.h"

using namespace alembic;
using alembic::testing::migration;
using alembic::testing::Project;
using Ids = std::vector<std::string>;

namespace {

//   a1 ── b2 ─┬─ c3 ── d4          (head d4)
//             └─ x5 ── y6 ── z7    (head z7)
Project forked() {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_fork.py", migration("b2", "'a1'", "a1"));
  p.add("c3_left.py", migration("c3", "'b2'", "b2"));
  p.add("d4_left.py", migration("d4", "'c3'", "c3"));
  p.add("x5_right.py", migration("x5", "\"b2\"", "b2", "", '"'));
  p.add("y6_right.py", migration("y6", "'x5'", "x5"));
  p.add("z7_right.py", migration("z7", "'y6'", "y6"));
  p.analyse();
  return p;
}

TEST(RebasePlan, MovesTheFirstRevisionOfTheBranchOntoTheOtherHead) {
  Project p = forked();
  ASSERT_EQ(p.graph.heads, (Ids{"d4", "z7"}));
  std::string why;
  std::optional<RebasePlan> plan =
      plan_rebase(p.graph, p.scripts, p.revision("z7"), "d4", p.reader(), &why);
  ASSERT_TRUE(plan) << why;
  EXPECT_EQ(plan->moved, (Ids{"x5"}));
  EXPECT_EQ(plan->branch, (Ids{"x5", "y6", "z7"}));
  ASSERT_EQ(plan->plan.edits.size(), 2u);  // down_revision and Revises of x5
  p.apply(plan->plan);
  EXPECT_EQ(p.graph.heads, (Ids{"z7"}));
  EXPECT_TRUE(p.graph.findings.empty()) << p.graph.findings.front().message;
  const std::string& moved = p.text[Project::path("x5_right.py")];
  EXPECT_NE(moved.find("down_revision = \"d4\"\n"), std::string::npos) << moved;
  EXPECT_NE(moved.find("Revises: d4\n"), std::string::npos) << moved;
}

TEST(RebasePlan, TheOtherDirectionAndAMergeInsideTheBranch) {
  Project p = forked();
  p.add("m8_merge.py", migration("m8", "('c3', 'b2')", "c3, b2"));
  p.analyse();  // heads d4, z7, m8
  std::string why;
  std::optional<RebasePlan> plan =
      plan_rebase(p.graph, p.scripts, p.revision("m8"), "z7", p.reader(), &why);
  ASSERT_TRUE(plan) << why;
  // c3 and m8 are not in z7's history; both touch b2, the fork point.
  EXPECT_EQ(plan->moved, (Ids{"c3", "m8"}));
  p.apply(plan->plan);
  EXPECT_EQ(p.graph.revisions[p.revision("c3")].down_revisions, (Ids{"z7"}));
  EXPECT_EQ(p.graph.revisions[p.revision("m8")].down_revisions, (Ids{"c3", "z7"}));
  EXPECT_EQ(p.graph.heads, (Ids{"d4", "m8"}));
}

TEST(RebasePlan, ASeparateHistoryStartsAfterTheOtherHead) {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_x.py", migration("b2", "'a1'", "a1"));
  p.add("x1_other.py", migration("x1", "None", "", "", '"'));
  p.add("y2_other.py", migration("y2", "\"x1\"", "x1", "", '"'));
  p.analyse();
  std::string why;
  std::optional<RebasePlan> plan =
      plan_rebase(p.graph, p.scripts, p.revision("y2"), "b2", p.reader(), &why);
  ASSERT_TRUE(plan) << why;
  EXPECT_EQ(plan->moved, (Ids{"x1"}));
  p.apply(plan->plan);
  const std::string& text = p.text[Project::path("x1_other.py")];
  EXPECT_NE(text.find("down_revision = \"b2\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Revises: b2\n"), std::string::npos) << text;
  EXPECT_EQ(p.graph.heads, (Ids{"y2"}));
  EXPECT_TRUE(p.graph.findings.empty()) << p.graph.findings.front().message;
}

TEST(RebasePlan, Refusals) {
  Project p = forked();
  std::string why;
  EXPECT_FALSE(plan_rebase(p.graph, p.scripts, p.revision("c3"), "d4", p.reader(), &why));
  EXPECT_NE(why.find("not a head"), std::string::npos);
  EXPECT_FALSE(plan_rebase(p.graph, p.scripts, p.revision("d4"), "d4", p.reader(), &why));
  EXPECT_FALSE(plan_rebase(p.graph, p.scripts, p.revision("d4"), "nope", p.reader(), &why));
  EXPECT_FALSE(plan_rebase(p.graph, p.scripts, 999, "d4", p.reader(), &why));
}

TEST(HeaderRewrite, FromTheCode) {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_x.py", migration("b2", "'a1'", "a1"));
  std::string stale = migration("c3", "'b2'", "a1");
  stale.replace(stale.find("Revision ID: c3"), 15, "Revision ID: zz");
  p.add("c3_y.py", stale);
  std::string empty = migration("d4", "'c3'", "");
  p.add("d4_z.py", empty);
  p.analyse();
  ASSERT_EQ(p.codes(), (Ids{"header-mismatch", "header-mismatch", "header-mismatch"}));
  for (const char* file : {"c3_y.py", "d4_z.py"}) {
    const EditPlan plan = plan_header_rewrite(p.script(file), p.text[Project::path(file)]);
    EXPECT_FALSE(plan.edits.empty()) << file;
    p.apply(plan);
  }
  EXPECT_TRUE(p.graph.findings.empty()) << p.graph.findings.front().message;
  EXPECT_NE(p.text[Project::path("d4_z.py")].find("\nRevises: c3\n"), std::string::npos);
  EXPECT_NE(p.text[Project::path("c3_y.py")].find("Revision ID: c3\nRevises: b2\n"),
            std::string::npos);
  // Nothing to do on a consistent header.
  EXPECT_TRUE(
      plan_header_rewrite(p.script("b2_x.py"), p.text[Project::path("b2_x.py")]).edits.empty());
}

TEST(SetDownRevision, BaseToIdAndBack) {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_x.py", migration("b2", "''", "", "", '"'));
  p.analyse();
  std::string why;
  std::optional<EditPlan> plan =
      plan_set_down_revision(p.script("b2_x.py"), p.text[Project::path("b2_x.py")], {"a1"}, &why);
  ASSERT_TRUE(plan) << why;
  p.apply(*plan);
  EXPECT_NE(p.text[Project::path("b2_x.py")].find("down_revision = 'a1'"), std::string::npos)
      << "the literal keeps its own quotes";
  EXPECT_TRUE(p.graph.findings.empty()) << p.graph.findings.front().message;
  plan = plan_set_down_revision(p.script("b2_x.py"), p.text[Project::path("b2_x.py")], {}, &why);
  ASSERT_TRUE(plan);
  p.apply(*plan);
  EXPECT_NE(p.text[Project::path("b2_x.py")].find("down_revision = None"), std::string::npos);
  EXPECT_NE(p.text[Project::path("b2_x.py")].find("Revises: \n"), std::string::npos);
}

TEST(OrphanedMerge, DependsOnHeadsBecomeParents) {
  Project p = forked();
  p.add("m8_merge.py", migration("m8", "None", "", "depends_on = ('d4', 'z7', 'a1', other.REV)\n"));
  p.analyse();
  const Script& merge = p.script("m8_merge.py");
  EXPECT_EQ(depends_on_heads(p.graph, merge), (Ids{"d4", "z7"}));
  std::string why;
  std::optional<EditPlan> plan =
      plan_orphaned_merge(p.graph, merge, p.text[Project::path("m8_merge.py")], &why);
  ASSERT_TRUE(plan) << why;
  p.apply(*plan);
  const std::string& text = p.text[Project::path("m8_merge.py")];
  EXPECT_NE(text.find("down_revision = ('d4', 'z7')"), std::string::npos) << text;
  EXPECT_NE(text.find("depends_on = ('a1', other.REV)"), std::string::npos) << text;
  EXPECT_NE(text.find("Revises: d4, z7"), std::string::npos) << text;
  EXPECT_EQ(p.graph.heads, (Ids{"m8"}));
}

TEST(AttachableHeads, NeverADescendant) {
  Project p = forked();
  EXPECT_EQ(attachable_heads(p.graph, p.revision("x5")), (Ids{"d4"}));
  EXPECT_EQ(attachable_heads(p.graph, p.revision("b2")), (Ids{}));
  EXPECT_EQ(attachable_heads(p.graph, p.revision("d4")), (Ids{"z7"}));
  EXPECT_EQ(revision_of_script(p.graph, 2), static_cast<long>(p.revision("c3")));
  const Script& c3 = p.script("c3_left.py");
  EXPECT_EQ(reference_value_at(c3, c3.parsed.down_revision.strings[0].range)->text, "b2");
}

}  // namespace
