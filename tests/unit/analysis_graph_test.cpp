// The revision graph: heads, real heads, bases, branch and merge points, depends_on,
// branch label propagation and duplicates, each checked against what Alembic 1.8.1
// itself answers for the same history (values noted from running its RevisionMap).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "analysis/findings.h"
#include "analysis/graph.h"

#include "graph_test_support.h"

using namespace alembic;
using namespace graph_test;

TEST(RevisionIdOf, LiteralRevisionWins) {
  EXPECT_EQ(revision_id_of(make_script("v/0001_x.py", "ae1027a6acf", {})), "ae1027a6acf");
}

TEST(RevisionIdOf, HexFileStemWhenRevisionIsAbsent) {
  Script s = make_script("versions/3f2a9c.py", "x", {});
  s.parsed.revision = AssignedValue{};
  EXPECT_EQ(revision_id_of(s), "3f2a9c");
  s.path = "versions/3F2A.py";  // Alembic's legacy regex is lower-case hex only
  EXPECT_EQ(revision_id_of(s), "");
  s.path = "versions/3f2a_add_users.py";
  EXPECT_EQ(revision_id_of(s), "");
  s.path = "versions/3f2a.pyc";
  EXPECT_EQ(revision_id_of(s), "");
}

TEST(RevisionIdOf, NoIdForValuesThatAreNotOneString) {
  Script s = make_script("v/a.py", "a", {});
  s.parsed.revision.strings.clear();
  s.parsed.revision.unresolved.push_back({"make_id()", at(10, 11, 9)});
  EXPECT_EQ(revision_id_of(s), "");
  s = make_script("v/a.py", "a", {});
  s.parsed.revision.is_sequence = true;
  EXPECT_EQ(revision_id_of(s), "");
}

TEST(Graph, EmptyEnvironment) {
  GraphAnalysis g = analyze({});
  EXPECT_TRUE(g.revisions.empty());
  EXPECT_TRUE(g.heads.empty());
  EXPECT_TRUE(g.findings.empty());
  EXPECT_EQ(g.find("a"), -1);
}

TEST(Graph, LinearChain) {
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {"a"}), rev("c", {"b"})});
  EXPECT_EQ(g.heads, Ids{"c"});
  EXPECT_EQ(g.real_heads, Ids{"c"});
  EXPECT_EQ(g.bases, Ids{"a"});
  EXPECT_TRUE(g.branch_points.empty());
  EXPECT_TRUE(g.merge_points.empty());
  EXPECT_EQ(get(g, "a").children, Ids{"b"});
  EXPECT_EQ(get(g, "c").down_revisions, Ids{"b"});
  EXPECT_TRUE(g.findings.empty());
}

TEST(Graph, BranchPointChildrenSortedAndMergePoint) {
  GraphAnalysis g = analyze({rev("a", {}), rev("c", {"a"}), rev("b", {"a"}), rev("m", {"b", "c"})});
  ASSERT_EQ(g.branch_points.size(), 1u);
  EXPECT_EQ(g.branch_points.at("a"), (Ids{"b", "c"}));
  EXPECT_EQ(get(g, "a").children, (Ids{"c", "b"}));  // load order
  EXPECT_EQ(g.merge_points, Ids{"m"});
  EXPECT_EQ(g.heads, Ids{"m"});
  EXPECT_EQ(get(g, "m").down_revisions, (Ids{"b", "c"}));
}

TEST(Graph, HeadsAndBasesInLoadOrder) {
  GraphAnalysis g = analyze({rev("z", {}), rev("y", {"z"}), rev("a", {}), rev("x", {"z"})});
  EXPECT_EQ(g.heads, (Ids{"y", "a", "x"}));
  EXPECT_EQ(g.bases, (Ids{"z", "a"}));
}

TEST(Graph, DependsOnByIdLeavesTheTargetAHeadButNotARealHead) {
  // Alembic: heads ('a', 'b'), real heads ('b',), bases ('a', 'b').
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {}, {"a"})});
  EXPECT_EQ(g.heads, (Ids{"a", "b"}));
  EXPECT_EQ(g.real_heads, Ids{"b"});
  EXPECT_EQ(g.bases, (Ids{"a", "b"}));
  EXPECT_EQ(get(g, "a").dependents, Ids{"b"});
  EXPECT_EQ(get(g, "b").depends_on, Ids{"a"});
  EXPECT_TRUE(get(g, "a").children.empty());
}

TEST(Graph, DependsOnByBranchLabelResolvesToTheLabelledRevision) {
  GraphAnalysis g = analyze({rev("a", {}, {}, {"lib"}), rev("a2", {"a"}), rev("b", {}, {"lib"})});
  EXPECT_EQ(get(g, "b").depends_on, Ids{"a"});
  EXPECT_EQ(get(g, "a").dependents, Ids{"b"});
  EXPECT_EQ(g.heads, (Ids{"a2", "b"}));
  EXPECT_EQ(g.real_heads, (Ids{"a2", "b"}));
  EXPECT_FALSE(has_code(g, "missing-revision"));
}

TEST(Graph, AParentNamedTwiceIsOneChildEdge) {
  // Alembic's RevisionMap (1.8.1, 1.13.2 and 1.18.4 alike) for a; x with down_revision =
  // ("a", "a"): a.nextrev {'x'}, a.is_branch_point False, x.is_merge_point True, heads ('x',).
  GraphAnalysis g = analyze({rev("a", {}), rev("x", {"a", "a"})});
  EXPECT_EQ(get(g, "a").children, Ids{"x"});
  EXPECT_TRUE(g.branch_points.empty());
  EXPECT_EQ(g.merge_points, Ids{"x"});
  EXPECT_EQ(g.heads, Ids{"x"});
  EXPECT_EQ(g.real_heads, Ids{"x"});
  EXPECT_EQ(g.bases, Ids{"a"});
  // With a sibling, a is a branch point of two children, not three.
  g = analyze({rev("a", {}), rev("x", {"a", "a"}), rev("y", {"a"})});
  EXPECT_EQ(get(g, "a").children, (Ids{"x", "y"}));
  ASSERT_EQ(g.branch_points.size(), 1u);
  EXPECT_EQ(g.branch_points.at("a"), (Ids{"x", "y"}));
}

TEST(Graph, ADependencyNamedTwiceIsOneDependentEdge) {
  // Alembic 1.8.1, 1.13.2, 1.18.4: x with depends_on = ("a", "a"), or ("a", "lab") where lab
  // is a's label, gives a._all_nextrev {'x'}; heads ('a', 'x'), real heads ('x',).
  for (const Ids& deps : {Ids{"a", "a"}, Ids{"a", "lab"}}) {
    GraphAnalysis g = analyze({rev("a", {}, {}, {"lab"}), rev("x", {}, deps)});
    EXPECT_EQ(get(g, "a").dependents, Ids{"x"}) << deps[1];
    EXPECT_EQ(g.heads, (Ids{"a", "x"})) << deps[1];
    EXPECT_EQ(g.real_heads, Ids{"x"}) << deps[1];
    EXPECT_TRUE(g.branch_points.empty()) << deps[1];
  }
}

TEST(Graph, DuplicateIdsAreSeparateRevisionsAndBothCanBeHeads) {
  // Alembic: heads ('b', 'b').
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {"a"}), rev("b", {"a"})});
  EXPECT_EQ(g.revisions.size(), 3u);
  EXPECT_EQ(g.heads, (Ids{"b", "b"}));
  EXPECT_EQ(g.head_indexes, (std::vector<size_t>{1, 2}));  // each copy, told apart
  EXPECT_EQ(g.base_indexes, (std::vector<size_t>{0}));
  EXPECT_EQ(g.find("b"), 2);
  EXPECT_EQ(g.definitions("b"), (std::vector<size_t>{1, 2}));
  EXPECT_EQ(get(g, "a").children, Ids{"b"});
}

TEST(Graph, StaleDuplicateStaysAHeadWhenTheLastCopyHasAChild) {
  // Alembic: heads ('b', 'c'): the child only reaches the last loaded copy.
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {"a"}), rev("b", {"a"}), rev("c", {"b"})});
  EXPECT_EQ(g.heads, (Ids{"b", "c"}));
  EXPECT_EQ(g.revisions[1].children, Ids{});
  EXPECT_EQ(g.revisions[2].children, Ids{"c"});
}

TEST(Graph, EmptyStringDownRevisionIsABaseButAOneTupleOfItIsMissing) {
  Script a = rev("a", {});
  a.parsed.down_revision = assigned(11, {""});
  GraphAnalysis g = analyze({a, rev("b", {"a"})});
  EXPECT_EQ(g.bases, Ids{"a"});  // Alembic 1.8: tuple_rev_as_scalar("") is None
  EXPECT_TRUE(has_code(g, "empty-down-revision"));
  EXPECT_FALSE(has_code(g, "missing-revision"));

  a.parsed.down_revision.is_sequence = true;  // ("",): looked up as the id ''
  g = analyze({a, rev("b", {"a"})});
  EXPECT_TRUE(g.bases.empty());
  EXPECT_TRUE(has_code(g, "missing-revision"));
}

TEST(Graph, OneTupleDownRevisionIsLikeAString) {
  Script b = rev("b", {"a"});
  b.parsed.down_revision.is_sequence = true;
  GraphAnalysis g = analyze({rev("a", {}), b});
  EXPECT_EQ(g.heads, Ids{"b"});
  EXPECT_TRUE(g.merge_points.empty());
}

TEST(Graph, EmptySequenceDownRevisionIsABase) {
  Script a = rev("a", {});
  a.parsed.down_revision.is_none = false;
  a.parsed.down_revision.is_sequence = true;  // `down_revision = ()`
  GraphAnalysis g = analyze({a});
  EXPECT_EQ(g.bases, Ids{"a"});
}

TEST(Graph, UnreadableDownRevisionIsNeitherBaseNorLinked) {
  Script b = rev("b", {});
  b.parsed.down_revision.is_none = false;
  b.parsed.down_revision.unresolved.push_back({"PARENT", at(11, 16, 6)});
  GraphAnalysis g = analyze({rev("a", {}), b});
  EXPECT_EQ(g.bases, Ids{"a"});
  EXPECT_EQ(g.heads, (Ids{"a", "b"}));
}

TEST(Graph, LegacyHexFileNameGivesTheId) {
  Script s = make_script("versions/1975ea83b712.py", "x", {});
  s.parsed.revision = AssignedValue{};
  GraphAnalysis g = analyze({s, rev("b", {"1975ea83b712"})});
  EXPECT_EQ(g.bases, Ids{"1975ea83b712"});
  EXPECT_EQ(g.heads, Ids{"b"});
}

// Branch labels, compared with Alembic's own propagation.
TEST(Labels, LabelInTheMiddleOfAChainCoversTheWholeChain) {
  GraphAnalysis g =
      analyze({rev("a", {}), rev("b", {"a"}), rev("c", {"b"}, {}, {"x"}), rev("d", {"c"})});
  for (const char* id : {"a", "b", "c", "d"})
    EXPECT_EQ(get(g, id).effective_labels, Ids{"x"}) << id;
  EXPECT_EQ(get(g, "c").branch_labels, Ids{"x"});
  EXPECT_TRUE(get(g, "a").branch_labels.empty());
}

TEST(Labels, AncestorWalkStopsAtABranchPoint) {
  GraphAnalysis g =
      analyze({rev("a", {}), rev("b", {"a"}, {}, {"x"}), rev("c", {"a"}), rev("d", {"b"})});
  EXPECT_EQ(get(g, "a").effective_labels, Ids{});
  EXPECT_EQ(get(g, "b").effective_labels, Ids{"x"});
  EXPECT_EQ(get(g, "c").effective_labels, Ids{});
  EXPECT_EQ(get(g, "d").effective_labels, Ids{"x"});
}

TEST(Labels, ADependentMakesARealBranchPointThatStopsTheWalk) {
  GraphAnalysis g =
      analyze({rev("a", {}), rev("b", {"a"}), rev("c", {"b"}, {}, {"x"}), rev("d", {}, {"b"})});
  EXPECT_EQ(get(g, "a").effective_labels, Ids{});
  EXPECT_EQ(get(g, "b").effective_labels, Ids{});
  EXPECT_EQ(get(g, "c").effective_labels, Ids{"x"});
  EXPECT_EQ(get(g, "d").effective_labels, Ids{});
  EXPECT_EQ(g.real_heads, (Ids{"c", "d"}));
}

TEST(Labels, AncestorWalkStopsAtAMergePoint) {
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {}), rev("m", {"a", "b"}),
                             rev("n", {"m"}, {}, {"x"}), rev("o", {"n"})});
  EXPECT_EQ(get(g, "m").effective_labels, Ids{});
  EXPECT_EQ(get(g, "a").effective_labels, Ids{});
  EXPECT_EQ(get(g, "n").effective_labels, Ids{"x"});
  EXPECT_EQ(get(g, "o").effective_labels, Ids{"x"});
}

TEST(Labels, LabelAboveABranchReachesBothBranchesButNotBelow) {
  GraphAnalysis g =
      analyze({rev("a", {}), rev("b", {"a"}, {}, {"x"}), rev("c", {"b"}), rev("d", {"b"})});
  EXPECT_EQ(get(g, "a").effective_labels, Ids{});
  EXPECT_EQ(get(g, "c").effective_labels, Ids{"x"});
  EXPECT_EQ(get(g, "d").effective_labels, Ids{"x"});
}

TEST(Labels, ExpandContractBranchesKeepTheirOwnLabels) {
  GraphAnalysis g = analyze({rev("a", {}), rev("e1", {"a"}, {}, {"expand"}), rev("e2", {"e1"}),
                             rev("c1", {"a"}, {}, {"contract"}), rev("c2", {"c1"})});
  EXPECT_EQ(g.heads, (Ids{"e2", "c2"}));
  EXPECT_EQ(get(g, "a").effective_labels, Ids{});
  EXPECT_EQ(get(g, "e2").effective_labels, Ids{"expand"});
  EXPECT_EQ(get(g, "c2").effective_labels, Ids{"contract"});
}

TEST(Labels, SeveralLabelsAreSortedAndMerged) {
  GraphAnalysis g = analyze({rev("a", {}, {}, {"zeta", "alpha"}), rev("b", {"a"}, {}, {"mid"})});
  EXPECT_EQ(get(g, "b").effective_labels, (Ids{"alpha", "mid", "zeta"}));
  EXPECT_EQ(get(g, "a").effective_labels, (Ids{"alpha", "mid", "zeta"}));
  EXPECT_EQ(get(g, "a").branch_labels, (Ids{"zeta", "alpha"}));
}

TEST(Labels, UnresolvedLabelIsNotAnEffectiveLabel) {
  Script a = rev("a", {});
  a.parsed.branch_labels.present = true;
  a.parsed.branch_labels.is_sequence = true;
  a.parsed.branch_labels.unresolved.push_back({"cli.EXPAND_BRANCH", at(12, 17, 17)});
  GraphAnalysis g = analyze({a, rev("b", {"a"})});
  EXPECT_TRUE(get(g, "b").effective_labels.empty());
  EXPECT_TRUE(get(g, "a").branch_labels.empty());
}

// Duplicate ids and cycles, as findings.
TEST(DuplicateRevision, EveryCopyIsReportedWithTheOthersRelated) {
  Script first = make_script("versions/b1.py", "b", {"a"});
  Script second = make_script("versions/b2.py", "b", {"a"});
  GraphAnalysis g = analyze({rev("a", {}), first, second});
  auto f = with_code(g, "duplicate-revision");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].location.path, "versions/b1.py");
  EXPECT_EQ(f[1].location.path, "versions/b2.py");
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_EQ(f[0].revisions, Ids{"b"});
  ASSERT_EQ(f[0].related.size(), 1u);
  EXPECT_EQ(f[0].related[0].location.path, "versions/b2.py");
  EXPECT_EQ(f[1].related[0].location.path, "versions/b1.py");
  EXPECT_TRUE(
      contains(full_message(f[0]), "Revision b is present more than once (in b1.py and b2.py)"));
  EXPECT_TRUE(contains(full_message(f[0]), "last one it loads (b2.py)"));
  EXPECT_TRUE(with_code(analyze({rev("a", {}), first}), "duplicate-revision").empty());
}

// ---------------------------------------------------------------- revision-cycle
TEST(RevisionCycle, TwoRevisionCycleOnEachDownRevision) {
  auto f = with_code(analyze({rev("a", {"b"}), rev("b", {"a"})}), "revision-cycle");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_TRUE(contains(full_message(f[0]), "Cycle is detected in revisions (a, b)"));
  EXPECT_EQ(f[0].location.range, at(11, 16, 3));
  EXPECT_EQ(f[0].revisions, (Ids{"a", "b"}));
  EXPECT_EQ(f[0].related.size(), 1u);
}

TEST(RevisionCycle, SelfLoop) {
  auto f = with_code(analyze({rev("a", {"a"})}), "revision-cycle");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(contains(full_message(f[0]), "Self-loop is detected in revisions (a)"));
}

TEST(RevisionCycle, DependencySelfLoopThroughItsOwnLabel) {
  auto f = with_code(analyze({rev("a", {}, {"x"}, {"x"})}), "revision-cycle");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(contains(full_message(f[0]), "Dependency self-loop is detected in revisions (a)"));
  EXPECT_EQ(f[0].location.range, at(13, 16, 3));
}

TEST(RevisionCycle, DependencyCycleOnTheDependsOn) {
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {"a"}, {"c"}), rev("c", {"b"})});
  auto f = with_code(g, "revision-cycle");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(contains(full_message(f[0]), "Dependency cycle is detected in revisions (b, c)"));
  EXPECT_EQ(f[0].location.path, "versions/b_m.py");
  EXPECT_EQ(f[0].location.range, at(13, 16, 3));
}

TEST(RevisionCycle, DependencyCycleFoundWhateverDependsOnComesAfterIt) {
  // Alembic 1.8.1, 1.13.2, 1.18.4: "Dependency cycle is detected in revisions (b, c)"; d's
  // depends_on, loaded after the cycle and in order, does not hide it.
  GraphAnalysis g =
      analyze({rev("a", {}), rev("b", {"a"}, {"c"}), rev("c", {"b"}), rev("d", {"a"}, {"a"})});
  auto f = with_code(g, "revision-cycle");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(contains(full_message(f[0]), "Dependency cycle is detected in revisions (b, c)"));
  EXPECT_EQ(f[0].revisions, (Ids{"b", "c"}));
}

TEST(RevisionCycle, CycleThroughAMergePointThatAlembicMisses) {
  GraphAnalysis g =
      analyze({rev("base", {}), rev("m", {"base", "c"}), rev("c", {"m"}), rev("h", {"c"})});
  EXPECT_EQ(g.heads, Ids{"h"});  // what Alembic 1.8.1 also answers
  auto f = with_code(g, "revision-cycle");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(contains(full_message(f[0]), "(c, m)"));
}

TEST(RevisionCycle, NoneInAnOrdinaryHistory) {
  GraphAnalysis g = analyze({rev("a", {}), rev("b", {"a"}, {"a"}), rev("c", {"a", "b"})});
  EXPECT_TRUE(with_code(g, "revision-cycle").empty());
}

TEST(Findings, LargeCycleKeepsEachFindingSmall) {
  std::vector<Script> cycle;
  for (int i = 0; i < 500; ++i)
    cycle.push_back(rev("c" + std::to_string(i), {"c" + std::to_string((i + 499) % 500)}));
  auto f = with_code(analyze(cycle), "revision-cycle");
  ASSERT_EQ(f.size(), 500u);
  EXPECT_EQ(f[0].revisions.size(), 2u);
  EXPECT_EQ(f[0].related.size(), 1u);
  EXPECT_TRUE(contains(full_message(f[0]), "(480 more)"));
}

// Branch label conflicts, as findings.
TEST(BranchLabelConflict, LabelUsedTwice) {
  auto f = with_code(analyze({rev("a", {}, {}, {"x"}), rev("b", {"a"}, {}, {"x"})}),
                     "branch-label-conflict");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::Error);
  EXPECT_EQ(f[0].location.path, "versions/b_m.py");
  EXPECT_EQ(f[0].location.range, at(12, 16, 3));
  EXPECT_TRUE(
      contains(full_message(f[0]), "Branch name 'x' in revision b already used by revision a"));
  ASSERT_EQ(f[0].related.size(), 1u);
  EXPECT_EQ(f[0].related[0].location.path, "versions/a_m.py");
  EXPECT_EQ(f[0].related[0].location.range, at(12, 16, 3));
  EXPECT_EQ(f[0].revisions, (Ids{"a", "b"}));
}

TEST(BranchLabelConflict, LabelEqualToARevisionId) {
  auto f = with_code(analyze({rev("a", {}), rev("b", {"a"}, {}, {"a"})}), "branch-label-conflict");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(
      contains(full_message(f[0]), "Branch name 'a' in revision b already used by revision a"));
  EXPECT_EQ(f[0].message, "Branch label 'a' is also a revision id.");
}

TEST(BranchLabelConflict, SameLabelTwiceInOneRevision) {
  auto f = with_code(analyze({rev("a", {}, {}, {"x", "x"})}), "branch-label-conflict");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(
      contains(full_message(f[0]), "Branch name 'x' in revision a already used by revision a"));
  EXPECT_TRUE(with_code(analyze({rev("a", {}, {}, {"x", "y"})}), "branch-label-conflict").empty());
}

// Graphs Alembic refuses must still be analysed, and never recursively.
TEST(Graph, SelfLoopAndCycleDoNotHang) {
  GraphAnalysis g = analyze({rev("a", {"a"})});
  EXPECT_TRUE(g.heads.empty());
  EXPECT_TRUE(has_code(g, "revision-cycle"));
  g = analyze({rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"})});
  EXPECT_TRUE(g.heads.empty());
  EXPECT_TRUE(g.bases.empty());
}

TEST(Performance, HundredThousandChainTenThousandCycleThousandParentMerge) {
  std::vector<Script> chain;
  const int n = 100000;
  chain.reserve(n);
  for (int i = 0; i < n; ++i)
    chain.push_back(make_script("versions/" + std::to_string(i) + ".py", "r" + std::to_string(i),
                                i ? Ids{"r" + std::to_string(i - 1)} : Ids{}));
  // Best of three: the bound is about complexity, not about a shared CI machine's load.
  long long best = -1;
  GraphAnalysis g;
  for (int run = 0; run < 3; ++run) {
    auto start = std::chrono::steady_clock::now();
    g = analyze(chain);
    long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count();
    best = best < 0 ? ms : std::min(best, ms);
  }
  std::printf("analyze() on a 100,000-revision chain: %lld ms (best of 3)\n", best);
  EXPECT_EQ(g.heads, Ids{"r99999"});
  EXPECT_EQ(g.bases, Ids{"r0"});
  EXPECT_TRUE(g.findings.empty());
  // Timings are printed, never asserted: the benchmark (bench/) measures speed.

  // Labels all along the chain: propagation shares sets instead of copying them.
  chain[50000].parsed.branch_labels = assigned(12, {"mid"});
  g = analyze(chain);
  EXPECT_EQ(g.revisions[0].effective_labels, Ids{"mid"});
  EXPECT_EQ(g.revisions[99999].effective_labels, Ids{"mid"});

  std::vector<Script> cycle;
  const int m = 10000;
  for (int i = 0; i < m; ++i)
    cycle.push_back(make_script("versions/c" + std::to_string(i) + ".py", "c" + std::to_string(i),
                                {"c" + std::to_string((i + m - 1) % m)}));
  g = analyze(cycle);
  size_t cycle_findings = 0;
  for (const Finding& f : g.findings) cycle_findings += f.code == "revision-cycle";
  EXPECT_EQ(cycle_findings, static_cast<size_t>(m));
  EXPECT_TRUE(g.heads.empty());

  std::vector<Script> merge;
  Ids parents;
  for (int i = 0; i < 1000; ++i) {
    merge.push_back(
        make_script("versions/p" + std::to_string(i) + ".py", "p" + std::to_string(i), {}));
    parents.push_back("p" + std::to_string(i));
  }
  merge.push_back(make_script("versions/merge.py", "merge", parents));
  g = analyze(merge);
  EXPECT_EQ(g.heads, Ids{"merge"});
  EXPECT_EQ(g.merge_points, Ids{"merge"});
  EXPECT_EQ(g.bases.size(), 1000u);
}

// Degenerate shapes must stay linear: every revision a separate base, or every
// revision a child of one base (100,000 heads).
TEST(Performance, HundredThousandBasesOrHeadsStayLinear) {
  std::vector<Script> bases;
  const int n = 100000;
  for (int i = 0; i < n; ++i)
    bases.push_back(
        make_script("versions/b" + std::to_string(i) + ".py", "b" + std::to_string(i), {}));
  auto start = std::chrono::steady_clock::now();
  GraphAnalysis g = analyze(bases);
  EXPECT_EQ(g.bases.size(), static_cast<size_t>(n));
  EXPECT_EQ(g.heads.size(), static_cast<size_t>(n));

  std::vector<Script> fan;
  fan.push_back(make_script("versions/root.py", "root", {}));
  for (int i = 0; i < n; ++i)
    fan.push_back(
        make_script("versions/h" + std::to_string(i) + ".py", "h" + std::to_string(i), {"root"}));
  g = analyze(fan);
  EXPECT_EQ(g.branch_points.at("root").size(), static_cast<size_t>(n));
  EXPECT_EQ(g.heads.size(), static_cast<size_t>(n));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  std::printf("analyze() on 100,000 bases then 100,000 heads: %lld ms\n",
              static_cast<long long>(ms));
}
