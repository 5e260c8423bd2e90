// Renaming a revision id: every place Alembic and a reader look, refusals with reasons,
// and the fresh ids and validation behind them.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "analysis/findings.h"
#include "analysis/rename_plan.h"
#include "edit_test_support.h"

using namespace alembic;
using alembic::testing::migration;
using alembic::testing::Project;

namespace {

//   a1 ─┬─ b2 ─┬─ d4 (merge) ── e5 (depends_on b2)
//       └─ c3 ─┘
Project linear() {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_billing.py", migration("b2", "'a1'", "a1"));
  p.add("c3_users.py", migration("c3", "\"a1\"", "a1", "", '"'));
  p.add("d4_merge.py", migration("d4", "('b2', \"c3\")", "b2, c3"));
  p.add("e5_invoices.py", migration("e5", "'d4'", "d4", "depends_on = ['b2']\n"));
  p.analyse();
  return p;
}

TEST(RenamePlan, RenamesAcrossAMergeKeepingQuotes) {
  Project p = linear();
  ASSERT_TRUE(p.graph.findings.empty()) << p.graph.findings.front().message;
  std::string why;
  std::optional<EditPlan> plan = plan_rename(p.graph, p.scripts, "b2", "beef00", p.reader(), &why);
  ASSERT_TRUE(plan) << why;
  // revision + Revision ID (b2), d4's down_revision + Revises, e5's depends_on.
  EXPECT_EQ(plan->edits.size(), 5u);
  ASSERT_EQ(plan->renames.size(), 1u);
  EXPECT_EQ(plan->renames[0].from, Project::path("b2_billing.py"));
  EXPECT_EQ(plan->renames[0].to, Project::path("beef00_billing.py"));
  p.apply(*plan);
  EXPECT_TRUE(p.graph.findings.empty()) << p.graph.findings.front().message;
  EXPECT_LT(p.graph.find("b2"), 0);
  const size_t d4 = p.revision("d4");
  EXPECT_EQ(p.graph.revisions[d4].down_revisions, (std::vector<std::string>{"beef00", "c3"}));
  const std::string& merge = p.text[Project::path("d4_merge.py")];
  EXPECT_NE(merge.find("down_revision = ('beef00', \"c3\")"), std::string::npos) << merge;
  EXPECT_NE(merge.find("Revises: beef00, c3"), std::string::npos) << merge;
  const std::string& renamed = p.text[Project::path("beef00_billing.py")];
  EXPECT_NE(renamed.find("revision = 'beef00'"), std::string::npos);
  EXPECT_NE(renamed.find("Revision ID: beef00"), std::string::npos);
  EXPECT_NE(p.text[Project::path("e5_invoices.py")].find("depends_on = ['beef00']"),
            std::string::npos);
}

TEST(RenamePlan, RefusesInvalidOrTakenIds) {
  Project p = linear();
  std::string why;
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "b2", "c3", p.reader(), &why));
  EXPECT_NE(why.find("already exists"), std::string::npos) << why;
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "b2", "new-id", p.reader(), &why));
  EXPECT_NE(why.find("not a valid revision id"), std::string::npos) << why;
  EXPECT_NE(why.find("-"), std::string::npos);
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "b2", "a b", p.reader(), &why));
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "b2", "", p.reader(), &why));
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "b2", "heads", p.reader(), &why));
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "nope", "x9", p.reader(), &why));
  EXPECT_NE(why.find("no revision 'nope'"), std::string::npos) << why;
}

TEST(RenamePlan, RefusesLabelsDuplicatesAndNonLiterals) {
  Project p;
  p.add("a1_init.py", migration("a1", "None", "", "branch_labels = ('core',)\n"));
  p.add("b2_x.py", migration("b2", "'a1'", "a1"));
  p.add("b2_y.py", migration("b2", "'a1'", "a1"));
  p.analyse();
  std::string why;
  EXPECT_FALSE(renamable_id(p.graph, {ReferenceKind::BranchLabel, "core", {}}, &why));
  EXPECT_NE(why.find("branch label"), std::string::npos);
  EXPECT_FALSE(renamable_id(p.graph, {ReferenceKind::DependsOn, "core", {}}, &why));
  EXPECT_FALSE(renamable_id(p.graph, {ReferenceKind::DownRevision, "b2", {}}, &why));
  EXPECT_NE(why.find("duplicate-revision"), std::string::npos) << why;
  ASSERT_TRUE(renamable_id(p.graph, {ReferenceKind::DownRevision, "a1", {}}, &why));
}

TEST(RenamePlan, RefusesWhatItCannotEditSafely) {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_x.py", migration("b2", "'a' '1'", "a1"));  // implicit concatenation
  p.analyse();
  ASSERT_EQ(p.graph.revisions[p.revision("b2")].down_revisions, std::vector<std::string>{"a1"});
  std::string why;
  EXPECT_FALSE(plan_rename(p.graph, p.scripts, "a1", "a0", p.reader(), &why));
  EXPECT_NE(why.find("b2_x.py"), std::string::npos) << why;
  EXPECT_NE(why.find("plain string literal"), std::string::npos) << why;
}

TEST(RenamePlan, RenamedPathOnlyWhenTheNameStartsWithTheId) {
  EXPECT_EQ(renamed_path("/v/ab12_x.py", "ab12", "cd34"), "/v/cd34_x.py");
  EXPECT_EQ(renamed_path("/v/ab12.py", "ab12", "cd34"), "/v/cd34.py");
  EXPECT_FALSE(renamed_path("/v/ab123_x.py", "ab12", "cd34"));
  EXPECT_FALSE(renamed_path("/v/x_ab12.py", "ab12", "cd34"));
  // Windows paths, on every system: the name after the last backslash (or '/').
  const std::string win = "C:\\app\\migrations\\versions\\ab12_x.py";
  EXPECT_EQ(renamed_path(win, "ab12", "cd34", file_name_of(win, true)),
            "C:\\app\\migrations\\versions\\cd34_x.py");
  EXPECT_EQ(
      renamed_path("C:/app/v\\ab12.py", "ab12", "cd34", file_name_of("C:/app/v\\ab12.py", true)),
      "C:/app/v\\cd34.py");
  // With POSIX separators a backslash is part of the name, which then starts with "C:".
  EXPECT_FALSE(renamed_path(win, "ab12", "cd34", file_name_of(win, false)));
}

TEST(RenamePlan, NewIdForOneCopyOfADuplicate) {
  Project p;
  p.add("a1_init.py", migration("a1", "None", ""));
  p.add("b2_x.py", migration("b2", "'a1'", "a1"));
  p.add("c3_y.py", migration("b2", "'a1'", "a1"));
  p.analyse();
  std::vector<std::string> codes = p.codes();
  std::sort(codes.begin(), codes.end());
  ASSERT_EQ(codes, (std::vector<std::string>{"duplicate-revision", "duplicate-revision",
                                             "multiple-heads", "multiple-heads"}));
  std::string why;
  std::optional<EditPlan> plan =
      plan_new_id_for_script(p.script("c3_y.py"), "c3", p.text[Project::path("c3_y.py")], &why);
  ASSERT_TRUE(plan) << why;
  EXPECT_EQ(plan->edits.size(), 2u);
  p.apply(*plan);
  EXPECT_EQ(p.graph.by_id.at("b2").size(), 1u);
  EXPECT_EQ(p.codes(), (std::vector<std::string>{"multiple-heads", "multiple-heads"}));
  EXPECT_NE(p.text[Project::path("c3_y.py")].find("Revision ID: c3\n"), std::string::npos);
}

TEST(SourceEdit, LiteralBodyOnlyForPlainLiterals) {
  const std::string src = "a = 'x1'\nb = r\"x1\"\nc = '''x1'''\nd = 'x\\x31'\n";
  auto sv = [&](const std::string& text, size_t at, size_t len) {
    StringValue v;
    v.text = text;
    v.range.start_byte = static_cast<uint32_t>(at);
    v.range.end_byte = static_cast<uint32_t>(at + len);
    return v;
  };
  auto a = literal_body(src, sv("x1", 4, 4));
  ASSERT_TRUE(a);
  EXPECT_EQ(src.substr(a->first, a->second - a->first), "x1");
  auto b = literal_body(src, sv("x1", src.find("r\""), 5));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->first, src.find("r\"") + 2);
  auto c = literal_body(src, sv("x1", src.find("'''"), 8));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first, src.find("'''") + 3);
  EXPECT_FALSE(literal_body(src, sv("x1", src.find("'x\\"), 8)));  // an escape
  EXPECT_FALSE(literal_body(src, sv("x1", 0, 1)));                 // a name
  EXPECT_EQ(python_ids({}, '"'), "None");
  EXPECT_EQ(python_ids({"a"}, '"'), "\"a\"");
  EXPECT_EQ(python_ids({"a", "b"}, '\''), "('a', 'b')");
}

TEST(SourceEdit, FreshIdsLookLikeAlembicsAndAreUnused) {
  Project p = linear();
  std::mt19937_64 random(7);
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = fresh_revision_id(p.graph, random);
    ASSERT_EQ(id.size(), 12u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    EXPECT_FALSE(p.graph.by_id.contains(id));
    seen.insert(id);
  }
  EXPECT_GT(seen.size(), 45u);
  EXPECT_EQ(revision_id_problem(p.graph, "0123456789ab"), "");
  EXPECT_NE(revision_id_problem(p.graph, "a1"), "");
  EXPECT_NE(revision_id_problem(p.graph, "x:y"), "");
}

}  // namespace
