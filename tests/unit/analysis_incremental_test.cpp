// analyze_into, told which script changed, must give exactly what a fresh analyze()
// gives, whatever the edit: random histories (merges, depends_on, branch labels, missing
// parents, cycles, duplicated ids, long ids) edited one script at a time. And what reads
// the analysis' working state (branch_pairs, from its integer graph) reads the same as
// without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "analysis/branch_conflicts.h"
#include "analysis/findings.h"
#include "analysis/graph.h"
#include "analysis/parser.h"

using namespace alembic;

namespace {

std::string py_list(const std::vector<std::string>& ids) {
  if (ids.empty()) return "None";
  if (ids.size() == 1) return "'" + ids[0] + "'";
  std::string out = "(";
  for (const std::string& id : ids) out += "'" + id + "', ";
  return out + ")";
}

struct Spec {
  std::string id;
  std::vector<std::string> down, deps, labels;
  /// The docstring's `Revises:` line names another revision (header-mismatch), and/or the
  /// file ends in a syntax error: findings of the script itself.
  std::string revises;
  bool broken = false;
};

std::string source_of(const Spec& s) {
  return "\"\"\"m\n\nRevision ID: " + s.id + "\n" +
         (s.revises.empty() ? "" : "Revises: " + s.revises + "\n") + "\"\"\"\nrevision = '" + s.id +
         "'\ndown_revision = " + py_list(s.down) + "\nbranch_labels = " + py_list(s.labels) +
         "\ndepends_on = " + py_list(s.deps) + "\n\ndef upgrade():\n    pass\n" +
         (s.broken ? "def downgrade(:\n" : "");
}

class History {
 public:
  History(unsigned seed, size_t count, bool rich, bool own_findings = false)
      : rng_(seed), rich_(rich), own_findings_(own_findings) {
    for (size_t i = 0; i < count; ++i) ids_.push_back(make_id(i));
    for (size_t i = 0; i < count; ++i) specs_.push_back(random_spec(i));
    for (size_t i = 0; i < count; ++i)
      scripts.push_back({"versions/" + std::to_string(1000 + i) + "_m.py",
                         parse_migration(source_of(specs_[i]))});
  }

  /// Replaces one script's values at random; returns its index.
  size_t edit() {
    size_t k = pick(specs_.size());
    Spec s = specs_[k];
    switch (own_findings_ && pick(3) == 0 ? 8 + pick(3) : pick(rich_ ? 8 : 4)) {
      case 0:
        s.down.clear();
        break;  // becomes a base
      case 1:
        s.down = {ids_[pick(ids_.size())]};
        break;  // any parent, cycles too
      case 2:
        s.down = {ids_[pick(k + 1)], ids_[pick(k + 1)]};
        break;  // merge (maybe twice)
      case 3:
        s.down = {"missing" + std::to_string(pick(3))};
        break;
      case 4:
        s.deps = pick(2) ? std::vector<std::string>{}
                         : std::vector<std::string>{ids_[pick(ids_.size())]};
        break;
      case 5:
        s.deps = {"lbl" + std::to_string(pick(3))};
        break;  // depends_on a label
      case 6:
        s.labels = pick(2) ? std::vector<std::string>{}
                           : std::vector<std::string>{"lbl" + std::to_string(pick(3))};
        break;
      case 7:
        s.id = pick(2) ? ids_[pick(ids_.size())] : ids_[k];
        break;  // duplicate id, or back
      case 8:
        s.revises = pick(2) ? std::string() : ids_[pick(ids_.size())];
        break;  // header
      case 9:
        s.broken = !s.broken;
        break;  // syntax
      case 10:
        s.deps = pick(2) ? std::vector<std::string>{} : std::vector<std::string>{s.id};
        break;
    }
    specs_[k] = s;
    scripts[k].set_parsed(parse_migration(source_of(s)));
    return k;
  }

  std::vector<Script> scripts;

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  std::string make_id(size_t i) {
    // Short ids live inside std::string; long ones on the heap.
    return i % 7 == 3 ? "a_long_revision_identifier_" + std::to_string(i) : "r" + std::to_string(i);
  }
  Spec random_spec(size_t i) {
    Spec s;
    s.id = ids_[i];
    if (i > 0) s.down = {ids_[i - 1 - pick(std::min<size_t>(i, 3))]};
    if (i > 3 && pick(8) == 0) s.down.push_back(ids_[pick(i)]);
    if (rich_ && i > 2 && pick(10) == 0) s.deps = {ids_[pick(i)]};
    if (rich_ && pick(12) == 0) s.labels = {"lbl" + std::to_string(pick(3))};
    return s;
  }

  std::mt19937 rng_;
  bool rich_;
  bool own_findings_;
  std::vector<std::string> ids_;
  std::vector<Spec> specs_;
};

void expect_same(const GraphAnalysis& got, const GraphAnalysis& want, const std::string& where) {
  SCOPED_TRACE(where);
  ASSERT_EQ(got.revisions.size(), want.revisions.size());
  for (size_t i = 0; i < want.revisions.size(); ++i) {
    const Revision& g = got.revisions[i];
    const Revision& w = want.revisions[i];
    SCOPED_TRACE("revision " + w.id);
    EXPECT_EQ(g.id, w.id);
    EXPECT_EQ(g.script, w.script);
    EXPECT_EQ(g.down_revisions, w.down_revisions);
    EXPECT_EQ(g.depends_on, w.depends_on);
    EXPECT_EQ(g.branch_labels, w.branch_labels);
    EXPECT_EQ(g.effective_labels, w.effective_labels);
    EXPECT_EQ(g.children, w.children);
    EXPECT_EQ(g.dependents, w.dependents);
  }
  EXPECT_EQ(got.heads, want.heads);
  EXPECT_EQ(got.real_heads, want.real_heads);
  EXPECT_EQ(got.bases, want.bases);
  EXPECT_EQ(got.head_indexes, want.head_indexes);
  EXPECT_EQ(got.base_indexes, want.base_indexes);
  EXPECT_EQ(got.branch_points, want.branch_points);
  EXPECT_EQ(got.merge_points, want.merge_points);
  EXPECT_EQ(got.by_id, want.by_id);
  EXPECT_EQ(got.findings, want.findings);
}

// After the one-script path, memo.touched names every revision whose own values or
// children / dependents changed (the edited one included); the server works from it.
void expect_touched_only(const std::vector<Revision>& before, const GraphAnalysis& after,
                         size_t script, const std::string& where) {
  SCOPED_TRACE(where);
  const std::vector<size_t>& touched = after.memo.touched;
  ASSERT_TRUE(std::is_sorted(touched.begin(), touched.end()));
  ASSERT_EQ(before.size(), after.revisions.size());
  bool edited_listed = false;
  for (size_t i = 0; i < before.size(); ++i) {
    const bool listed = std::binary_search(touched.begin(), touched.end(), i);
    edited_listed = edited_listed || (listed && after.revisions[i].script == script);
    if (listed) continue;
    const Revision& b = before[i];
    const Revision& a = after.revisions[i];
    SCOPED_TRACE("untouched revision " + a.id);
    EXPECT_EQ(a.id, b.id);
    EXPECT_NE(a.script, script);
    EXPECT_EQ(a.down_revisions, b.down_revisions);
    EXPECT_EQ(a.depends_on, b.depends_on);
    EXPECT_EQ(a.branch_labels, b.branch_labels);
    EXPECT_EQ(a.children, b.children);
    EXPECT_EQ(a.dependents, b.dependents);
  }
  EXPECT_TRUE(edited_listed) << "the edited script's revision is not in memo.touched";
}

// branch_pairs takes each revision's parents from the working state when it holds them;
// a copy of the analysis has none, and looks every parent up by id.
int pairs_compared = 0;
void expect_same_branches(const GraphAnalysis& live, const std::string& where) {
  const GraphAnalysis copied = live;
  ASSERT_FALSE(copied.memo.state);
  const std::vector<BranchPair> got = branch_pairs(live);
  EXPECT_EQ(got, branch_pairs(copied)) << where;
  pairs_compared += static_cast<int>(got.size());
}

void run(unsigned seed, size_t count, bool rich, int edits, int& updates, bool with_own = false) {
  History h(seed, count, rich, with_own);
  AnalysisOptions options;
  GraphAnalysis live;
  analyze_into(live, h.scripts, options);
  EXPECT_FALSE(live.memo.last_was_update);
  for (int e = 0; e < edits; ++e) {
    size_t k = h.edit();
    const std::vector<Revision> before = live.revisions;
    analyze_into(live, h.scripts, options, k);
    updates += live.memo.last_was_update;
    const std::string where = "seed " + std::to_string(seed) + ", edit " + std::to_string(e) +
                              " of script " + std::to_string(k);
    expect_same(live, analyze(h.scripts, options), where);
    expect_same_branches(live, where);
    if (live.memo.last_was_update) expect_touched_only(before, live, k, where);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace

TEST(IncrementalAnalysis, EdgeEditsMatchAFreshAnalysis) {
  int updates = 0;
  for (unsigned seed = 1; seed <= 20; ++seed) run(seed, 40, false, 60, updates);
  // Without labels or id changes, every edit of a revision takes the one-script path.
  EXPECT_EQ(updates, 20 * 60);
}

TEST(IncrementalAnalysis, AnyEditMatchesAFreshAnalysis) {
  int updates = 0;
  for (unsigned seed = 100; seed <= 130; ++seed) run(seed, 30, true, 80, updates);
  EXPECT_GT(updates, 0);
  EXPECT_LT(updates, 31 * 80);  // labels, duplicates and id changes take the full path
}

// Scripts with findings of their own (header mismatches, syntax errors) and revisions
// depending on themselves: the one-script path replaces only the edited script's
// findings and rechecks only its depends_on edges, and still equals a fresh analysis.
TEST(IncrementalAnalysis, OwnFindingsAndSelfDependenciesMatchAFreshAnalysis) {
  int updates = 0;
  for (unsigned seed = 200; seed <= 215; ++seed) run(seed, 40, false, 80, updates, true);
  EXPECT_GT(updates, 16 * 40);  // most edits still take the one-script path
  for (unsigned seed = 300; seed <= 310; ++seed) run(seed, 30, true, 80, updates, true);
}

// Long histories: the numbering of the previous analysis is kept, labels are updated
// only where they change, the findings run of one script is replaced.
TEST(IncrementalAnalysis, ManyEditsOfALongLabelledHistory) {
  int updates = 0;
  run(400, 300, true, 120, updates, true);
  EXPECT_GT(updates, 0);
}

TEST(IncrementalAnalysis, AStaleHintIsNotTrusted) {
  History h(7, 20, false);
  GraphAnalysis live = analyze(h.scripts);
  // Another vector with the same values: the working state refers to the first one.
  std::vector<Script> copy = h.scripts;
  copy[5].set_parsed(parse_migration(source_of({"r5", {}, {}, {}, {}, false})));
  analyze_into(live, copy, {}, 5);
  EXPECT_FALSE(live.memo.last_was_update);
  expect_same(live, analyze(copy), "copy");
  // A copy of an analysis does not carry the working state either.
  GraphAnalysis copied = live;
  copy[6].set_parsed(parse_migration(source_of({"r6", {}, {}, {}, {}, false})));
  analyze_into(copied, copy, {}, 6);
  EXPECT_FALSE(copied.memo.last_was_update);
  expect_same(copied, analyze(copy), "copied analysis");
  // The original still can.
  analyze_into(live, copy, {}, 6);
  EXPECT_TRUE(live.memo.last_was_update);
  expect_same(live, analyze(copy), "original");
}

// The runs above compared branch_pairs on histories with several heads.
TEST(IncrementalAnalysis, ZZBranchPairsWereCompared) {
  if (pairs_compared == 0) {
    int updates = 0;
    run(500, 40, true, 40, updates, true);
  }
  EXPECT_GT(pairs_compared, 0);
}

// The editor's walk stops when asked (a message waits): asked every few thousand steps,
// false as soon as it says stop, and the same pairs as without asking when it never does.
TEST(IncrementalAnalysis, BranchPairsStopWhenAsked) {
  // A chain of 20,000 and a second head forked from its middle.
  std::vector<Script> scripts;
  for (size_t i = 0; i <= 20000; ++i) {
    Spec spec;
    spec.id = i < 20000 ? "r" + std::to_string(i) : "fork";
    if (i > 0) spec.down = {"r" + std::to_string(i < 20000 ? i - 1 : 10000)};
    scripts.push_back({"versions/" + spec.id + "_m.py", parse_migration(source_of(spec))});
  }
  GraphAnalysis live;
  analyze_into(live, scripts, {});
  ASSERT_EQ(live.head_indexes.size(), 2u);
  const std::vector<BranchPair> whole = branch_pairs(live);
  ASSERT_FALSE(whole.empty());
  int asked = 0;
  std::vector<BranchPair> got;
  EXPECT_TRUE(branch_pairs(
      live, [&] { return ++asked < 0; }, got));
  EXPECT_EQ(got, whole);
  EXPECT_GE(asked, 4);  // 20,000 revisions: at least every 4,096 rows and steps
  for (int stop_at : {1, 3, asked}) {
    int n = 0;
    EXPECT_FALSE(branch_pairs(
        live, [&] { return ++n >= stop_at; }, got))
        << stop_at;
    EXPECT_EQ(n, stop_at);
  }
}
