// Edits behind the smaller quick fixes: a misspelled down_revision, removing a
// conflicting branch label, a valid id close to an invalid one, and resolving a git
// conflict block by keeping one side.
#include <gtest/gtest.h>

#include "analysis/conflict_resolution.h"
#include "analysis/parser.h"
#include "analysis/quick_fix_plan.h"
#include "edit_test_support.h"

using namespace alembic;
using alembic::testing::migration;
using alembic::testing::Project;

namespace {

TEST(MisspelledDownRevision, RenamesTheModuleLevelName) {
  const std::string src =
      "revision = 'a1'\ndown_revison = 'b2'\n\ndef f():\n    down_revisio = 1\n";
  const std::optional<TextEdit> e = misspelled_down_revision("/x.py", src);
  ASSERT_TRUE(e);
  EXPECT_EQ(src.substr(e->start, e->end - e->start), "down_revison");
  EXPECT_EQ(e->new_text, "down_revision");
  EXPECT_FALSE(misspelled_down_revision("/x.py", "revision = 'a'\nbranch_labels = None\n"));
  EXPECT_FALSE(misspelled_down_revision("/x.py", "down_revision == 'x'\n"));
  EXPECT_TRUE(misspelled_down_revision("/x.py", "downrevision: str = 'x'\n"));
}

TEST(RemoveElement, BranchLabelKeepsTheOthers) {
  Project p;
  p.add("a1_x.py", migration("a1", "None", "", "branch_labels = ('billing', \"ops\")\n"));
  p.add("b2_y.py", migration("b2", "None", "", "branch_labels = ('billing',)\n"));
  p.analyse();
  std::string why;
  const Script& a1 = p.script("a1_x.py");
  auto plan = plan_remove_element(a1, a1.parsed.branch_labels, p.text[Project::path("a1_x.py")],
                                  a1.parsed.branch_labels.strings[0].range, &why);
  ASSERT_TRUE(plan) << why;
  p.apply(*plan);
  EXPECT_NE(p.text[Project::path("a1_x.py")].find("branch_labels = (\"ops\",)\n"),
            std::string::npos)
      << p.text[Project::path("a1_x.py")];
  const Script& b2 = p.script("b2_y.py");
  plan = plan_remove_element(b2, b2.parsed.branch_labels, p.text[Project::path("b2_y.py")],
                             b2.parsed.branch_labels.strings[0].range, &why);
  ASSERT_TRUE(plan);
  p.apply(*plan);
  EXPECT_NE(p.text[Project::path("b2_y.py")].find("branch_labels = None\n"), std::string::npos);
  for (const Finding& f : p.graph.findings) EXPECT_NE(f.code, "branch-label-conflict");
  EXPECT_FALSE(plan_remove_element(b2, b2.parsed.branch_labels, p.text[Project::path("b2_y.py")],
                                   SourceRange{}, &why));
}

TEST(RemoveElement, DependsOnKeepsExpressionsAndQuotes) {
  Project p;
  p.add("a1_x.py", migration("a1", "None", ""));
  p.add("b2_y.py", migration("b2", "'a1'", "a1", "depends_on = [\"a1\", 'nope', other.REV]\n"));
  p.analyse();
  const Script& b2 = p.script("b2_y.py");
  std::string why;
  auto plan = plan_remove_element(b2, b2.parsed.depends_on, p.text[Project::path("b2_y.py")],
                                  b2.parsed.depends_on.strings[1].range, &why);
  ASSERT_TRUE(plan) << why;
  p.apply(*plan);
  EXPECT_NE(p.text[Project::path("b2_y.py")].find("depends_on = (\"a1\", other.REV)\n"),
            std::string::npos)
      << p.text[Project::path("b2_y.py")];
}

TEST(RemoveElement, ConstantsAreNeverRewritten) {
  // Values read through a constant (analysis/constants.h): the element that is a
  // constant is refused; removing a literal keeps a tuple constant written once.
  const std::string src =
      "revision = 'b2'\ndown_revision = 'a1'\n"
      "depends_on = ('x', BOTH)\n";
  Script s;
  s.path = "b2.py";
  s.parsed = parse_migration(src);
  ASSERT_EQ(s.parsed.depends_on.unresolved.size(), 1u);
  // What the resolver makes of `BOTH = ("c", "d")` used whole is two strings on one range.
  AssignedValue v = s.parsed.depends_on;
  const SourceRange both = v.unresolved[0].range;
  v.unresolved.clear();
  v.strings.push_back({"c", both});
  v.strings.push_back({"d", both});
  std::string why;
  EXPECT_FALSE(plan_remove_element(s, v, src, both, &why));
  EXPECT_NE(why.find("constant"), std::string::npos) << why;
  auto plan = plan_remove_element(s, v, src, v.strings[0].range, &why);
  ASSERT_TRUE(plan) << why;
  ASSERT_EQ(plan->edits.size(), 1u);
  EXPECT_EQ(plan->edits[0].new_text, "(BOTH,)");
}

TEST(ValidIdLike, ReplacesForbiddenCharacters) {
  Project p;
  p.add("a1_x.py", migration("a1", "None", ""));
  p.add("b2_y.py", migration("2023-11-02-add+tags", "'a1'", "a1"));
  p.analyse();
  EXPECT_EQ(valid_id_like(p.graph, "2023-11-02-add+tags"), "2023_11_02_add_tags");
  EXPECT_EQ(valid_id_like(p.graph, "a1"), "");  // taken
}

TEST(ConflictResolution, KeepsEitherSide) {
  const std::string src =
      "def upgrade():\n<<<<<<< HEAD\n    ours()\n=======\n    theirs()\n>>>>>>> feature/x\n"
      "\nx = 1\n<<<<<<< a\n1\n||||||| base\n0\n=======\n2\n>>>>>>> b\n";
  const uint32_t middle = static_cast<uint32_t>(src.find("=======\n"));
  std::optional<ConflictBlock> block = conflict_block_at(src, middle);
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ours, "    ours()\n");
  EXPECT_EQ(block->theirs, "    theirs()\n");
  EXPECT_EQ(block->ours_name, "HEAD");
  EXPECT_EQ(block->theirs_name, "feature/x");
  TextEdit e = keep_side("/x.py", *block, false);
  std::string fixed = src;
  fixed.replace(e.start, e.end - e.start, e.new_text);
  EXPECT_EQ(fixed.substr(0, fixed.find("\nx = 1")), "def upgrade():\n    theirs()\n");
  // The diff3 block: ours stops at the base marker.
  block = conflict_block_at(src, static_cast<uint32_t>(src.find(">>>>>>> b")));
  ASSERT_TRUE(block);
  EXPECT_EQ(block->ours, "1\n");
  EXPECT_EQ(block->theirs, "2\n");
  EXPECT_FALSE(conflict_block_at(src, static_cast<uint32_t>(src.find("x = 1"))));
  EXPECT_FALSE(conflict_block_at("<<<<<<< a\nno end\n", 0));
}

}  // namespace
