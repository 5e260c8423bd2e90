// missing-revision, the finding most often met: what names nothing, and the suggestion
// each case gets (prefixes, file names, branch labels, stray spaces), never the referring
// revision itself. Split from analysis_findings_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/findings.h"
#include "analysis/graph.h"
#include "analysis/parser.h"

#include "graph_test_support.h"

using namespace alembic;
using namespace graph_test;

// ---------------------------------------------------------------- missing-revision
TEST(MissingRevision, DownRevisionNamingNothing) {
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {"zzzz9"})});
  auto f = with_code(g, "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_EQ(f[0].location.path, "versions/b_m.py");
  EXPECT_EQ(f[0].location.range, at(11, 16, 7));
  EXPECT_EQ(f[0].revisions, (Ids{"b", "zzzz9"}));  // referrer first, then the missing id
  EXPECT_TRUE(
      contains(full_message(f[0]), "down_revision names 'zzzz9', which no migration defines."));
  EXPECT_TRUE(contains(full_message(f[0]), "KeyError: 'zzzz9'"));
  EXPECT_FALSE(f[0].suggestion);
}

TEST(MissingRevision, PrefixOfExactlyOneIdSuggestsIt) {
  GraphAnalysis g = analyze({rev("3f2a9c1b7d10", {}), rev("b", {"3f2a"})});
  auto f = with_code(g, "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].suggestion, "3f2a9c1b7d10");
  EXPECT_TRUE(contains(full_message(f[0]), "did you mean '3f2a9c1b7d10'"));
  ASSERT_EQ(f[0].related.size(), 1u);
  EXPECT_EQ(f[0].related[0].location.path, "versions/3f2a9c1b7d10_m.py");
}

// Alembic resolves a partial id from four characters on: a shorter one is no hint.
TEST(MissingRevision, PrefixShorterThanFourCharactersSuggestsNothing) {
  auto f = with_code(analyze({rev("3f2a9c1b7d10", {}), rev("b", {"3f2"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].suggestion);
  EXPECT_TRUE(f[0].related.empty());
}

TEST(MissingRevision, PrefixOfSeveralIdsSuggestsNothing) {
  auto f = with_code(analyze({rev("3f2a91", {}), rev("3f2a92", {"3f2a91"}), rev("b", {"3f2a"})}),
                     "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].suggestion);
  EXPECT_TRUE(contains(full_message(f[0]), "several revision ids (3f2a91, 3f2a92)"));
}

// Three matching ids are listed; a fourth only shows as "..." (mutant findings-prefix-cap).
TEST(MissingRevision, PrefixOfMoreThanThreeIdsListsThreeAndMore) {
  std::vector<Script> scripts = {rev("3f2a91", {}), rev("3f2a92", {"3f2a91"}),
                                 rev("3f2a93", {"3f2a92"})};
  scripts.push_back(rev("b", {"3f2a"}));
  auto f = with_code(analyze(scripts), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].suggestion);
  EXPECT_TRUE(contains(full_message(f[0]), "3f2a93")) << full_message(f[0]);
  EXPECT_FALSE(contains(full_message(f[0]), "...")) << full_message(f[0]);
  scripts.insert(scripts.begin() + 3, rev("3f2a94", {"3f2a93"}));
  f = with_code(analyze(scripts), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].suggestion);
  EXPECT_TRUE(contains(full_message(f[0]), "3f2a93, ...")) << full_message(f[0]);
  EXPECT_FALSE(contains(full_message(f[0]), "3f2a94")) << full_message(f[0]);
}

TEST(MissingRevision, FileNameOrStemSuggestsTheId) {
  Script users = make_script("versions/3f2a_add_users.py", "9c0d1e2f3a4b", {});
  auto f = with_code(analyze({users, rev("b", {"3f2a_add_users.py"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].suggestion, "9c0d1e2f3a4b");
  EXPECT_TRUE(
      contains(full_message(f[0]),
               "is the file name of 3f2a_add_users.py, whose revision id is '9c0d1e2f3a4b'"));
  f = with_code(analyze({users, rev("b", {"3f2a_add_users"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].suggestion, "9c0d1e2f3a4b");
}

// A revision never suggests itself (issue 24: both rules survived a mutation pass).
TEST(MissingRevision, PrefixSearchSkipsTheReferringRevision) {
  // 'abcd' starts the referrer's own id and one other: the other is the one meant.
  auto f =
      with_code(analyze({rev("abcd1234ef", {}), rev("abcd9999aa", {"abcd"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].suggestion, "abcd1234ef");
  // Only its own id matches: no suggestion (the fix would write a self-loop).
  f = with_code(analyze({rev("root", {}), rev("abcd9999aa", {"abcd"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_FALSE(f[0].suggestion);
  EXPECT_FALSE(contains(full_message(f[0]), "did you mean"));
}

TEST(MissingRevision, FileNameSearchSkipsTheReferringFile) {
  // down_revision written as the migration's own file name (stem or with .py).
  for (const char* text : {"abcd9999aa_add_users", "abcd9999aa_add_users.py"}) {
    Script self = make_script("versions/abcd9999aa_add_users.py", "abcd9999aa", {text});
    auto f = with_code(analyze({rev("root", {}), self}), "missing-revision");
    ASSERT_EQ(f.size(), 1u) << text;
    EXPECT_FALSE(f[0].suggestion) << text;
    EXPECT_FALSE(contains(full_message(f[0]), "did you mean")) << f[0].message;
  }
}

TEST(MissingRevision, BranchLabelInDownRevisionSuggestsTheBranchHead) {
  GraphAnalysis g = analyze({rev("a", {}, {}, {"expand"}), rev("a2", {"a"}), rev("x", {"expand"})});
  auto f = with_code(g, "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].suggestion, "a2");
  EXPECT_TRUE(contains(full_message(f[0]), "is a branch label (declared by revision a)"));
  EXPECT_TRUE(contains(full_message(f[0]), "current head of that branch"));
}

// The label's only head may be the referring revision itself (it inherits the label
// through its other parent): never suggest it (the fix would write a self-loop).
TEST(MissingRevision, BranchLabelWhoseHeadIsTheReferrerSuggestsTheDeclarer) {
  GraphAnalysis g =
      analyze({rev("a", {}, {}, {"expand"}), rev("a2", {"a"}), rev("x", {"a2", "expand"})});
  EXPECT_EQ(g.heads, Ids{"x"});
  auto f = with_code(g, "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location.path, "versions/x_m.py");
  EXPECT_EQ(f[0].suggestion, "a");
}

TEST(MissingRevision, DependsOnNamingNothing) {
  auto f = with_code(analyze({rev("a", {}), rev("b", {"a"}, {"nolabel"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].location.range, at(13, 16, 9));
  EXPECT_EQ(f[0].revisions, (Ids{"b", "nolabel"}));
  EXPECT_TRUE(contains(full_message(f[0]), "which is no revision id or branch label"));
}

TEST(MissingRevision, StraySpacesSuggestTheTrimmedId) {
  auto f = with_code(analyze({rev("abc1", {}), rev("b", {"abc1 "})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].suggestion, "abc1");
}

TEST(MissingRevision, UnknownRevisionIdsMakeItAWarning) {
  Script odd = rev("q", {});
  odd.parsed.revision.strings.clear();
  odd.parsed.revision.unresolved.push_back(expr("make_id()", 10));
  auto f = with_code(analyze({odd, rev("b", {"zzzz"})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_TRUE(contains(full_message(f[0]), "It may be the id of q_m.py"));
}
