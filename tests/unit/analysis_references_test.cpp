// References to revisions, their resolution with Alembic's lookup rules, and the facts a
// hover shows. Scripts are real migration texts read by parse_migration.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/findings.h"
#include "analysis/parser.h"
#include "analysis/references.h"

using namespace alembic;

namespace {

using Ids = std::vector<std::string>;

// A migration as Alembic 1.8's template writes it; `down` and the rest are Python.
std::string migration(const std::string& id, const std::string& down, const std::string& revises,
                      const std::string& extra = "") {
  return "\"\"\"message of " + id + "\n\nRevision ID: " + id + "\nRevises: " + revises +
         "\nCreate Date: 2024-01-02 03:04:05.000006\n\n\"\"\"\n"
         "from alembic import op\n\n"
         "revision = '" +
         id +
         "'\n"
         "down_revision = " +
         down + "\n" + extra + "\n\ndef upgrade():\n    pass\n";
}

struct History {
  std::vector<std::string> texts;
  std::vector<Script> scripts;
  GraphAnalysis graph;

  void add(const std::string& file, std::string text) {
    scripts.push_back({"/proj/versions/" + file, parse_migration(text)});
    texts.push_back(std::move(text));
  }
  void analyse() { graph = analyze(scripts); }

  size_t script(const std::string& file) const {
    for (size_t i = 0; i < scripts.size(); ++i)
      if (scripts[i].path == "/proj/versions/" + file) return i;
    ADD_FAILURE() << "no script " << file;
    return 0;
  }
  // The byte offset of the n-th `needle` in a script's text.
  uint32_t offset(const std::string& file, std::string_view needle, int occurrence = 0) const {
    const std::string& text = texts[script(file)];
    size_t at = text.find(needle);
    for (int i = 0; i < occurrence; ++i) at = text.find(needle, at + 1);
    EXPECT_NE(at, std::string::npos) << needle;
    return static_cast<uint32_t>(at);
  }
  std::string text_at(size_t script_index, const SourceRange& r) const {
    return texts[script_index].substr(r.start_byte, r.end_byte - r.start_byte);
  }
  Ids ids_of(const std::vector<size_t>& revisions) const {
    Ids out;
    for (size_t r : revisions) out.push_back(graph.revisions[r].id);
    return out;
  }
  std::vector<std::string> files_of(const std::vector<size_t>& revisions) const {
    std::vector<std::string> out;
    for (size_t r : revisions) out.push_back(scripts[graph.revisions[r].script].path);
    return out;
  }
  size_t revision(const std::string& id) const {
    const long i = graph.find(id);
    EXPECT_GE(i, 0) << id;
    return static_cast<size_t>(i);
  }
};

//   a1 ─┬─ b2 (label billing) ─┬─ d4 ─┬─ e5 (depends_on billing)
//       └─ c3 ─────────────────┘      └─ f6
//   a1 ── dup1 (twice)     g7 -> 'zzzz' (missing)
History sample() {
  History h;
  h.add("a1_init.py", migration("a1", "None", ""));
  h.add("b2_billing.py", migration("b2", "'a1'", "a1", "branch_labels = ('billing',)\n"));
  h.add("c3_users.py", migration("c3", "'a1'", "a1"));
  h.add("d4_merge.py", migration("d4", "('b2', 'c3')", "b2, c3"));
  h.add("e5_invoices.py", migration("e5", "'d4'", "d4", "depends_on = 'billing'\n"));
  h.add("f6_orders.py", migration("f6", "'d4'", "d4"));
  h.add("dup1_first.py", migration("dup1", "'a1'", "a1"));
  h.add("dup1_second.py", migration("dup1", "'a1'", "a1"));
  h.add("g7_broken.py", migration("g7", "'zzzz'", "zzzz"));
  h.analyse();
  return h;
}

TEST(References, CollectsEveryKindInSourceOrder) {
  History h = sample();
  const size_t e5 = h.script("e5_invoices.py");
  const std::vector<RevisionReference> refs = collect_references(h.scripts[e5].parsed);
  std::vector<ReferenceKind> kinds;
  Ids texts;
  for (const RevisionReference& r : refs) {
    kinds.push_back(r.kind);
    texts.push_back(r.text);
  }
  EXPECT_EQ(kinds,
            (std::vector<ReferenceKind>{ReferenceKind::DocstringRevisionId,
                                        ReferenceKind::DocstringRevises, ReferenceKind::Revision,
                                        ReferenceKind::DownRevision, ReferenceKind::DependsOn}));
  EXPECT_EQ(texts, (Ids{"e5", "d4", "e5", "d4", "billing"}));
  // Literal ranges include their quotes; docstring ranges are the bare text.
  EXPECT_EQ(h.text_at(e5, refs[2].range), "'e5'");
  EXPECT_EQ(h.text_at(e5, refs[4].range), "'billing'");
  EXPECT_EQ(h.text_at(e5, refs[1].range), "d4");
  EXPECT_TRUE(refs[2].is_declaration());
  EXPECT_FALSE(refs[3].is_declaration());

  const size_t d4 = h.script("d4_merge.py");
  Ids merge;
  for (const RevisionReference& r : collect_references(h.scripts[d4].parsed))
    if (r.kind == ReferenceKind::DownRevision || r.kind == ReferenceKind::DocstringRevises)
      merge.push_back(r.text);
  EXPECT_EQ(merge, (Ids{"b2", "c3", "b2", "c3"}));
}

TEST(References, BaseAndNonLiteralValuesNameNothing) {
  const std::string text = migration("x1", "''", "", "depends_on = other.REVISION\n");
  const std::vector<RevisionReference> refs = collect_references(parse_migration(text));
  for (const RevisionReference& r : refs)
    EXPECT_TRUE(r.kind == ReferenceKind::Revision || r.kind == ReferenceKind::DocstringRevisionId)
        << reference_kind_name(r.kind) << " " << r.text;
}

TEST(References, CursorInsideOrJustAfterAToken) {
  History h = sample();
  const size_t b2 = h.script("b2_billing.py");
  const auto refs = collect_references(h.scripts[b2].parsed);
  const uint32_t quote = h.offset("b2_billing.py", "'a1'");
  ASSERT_NE(reference_at(refs, quote), nullptr);
  EXPECT_EQ(reference_at(refs, quote)->kind, ReferenceKind::DownRevision);
  EXPECT_EQ(reference_at(refs, quote + 2)->text, "a1");
  // Just after the closing quote still means the token.
  ASSERT_NE(reference_at(refs, quote + 4), nullptr);
  EXPECT_EQ(reference_at(refs, quote + 4)->kind, ReferenceKind::DownRevision);
  EXPECT_EQ(reference_at(refs, h.offset("b2_billing.py", "down_revision")), nullptr);
  EXPECT_EQ(reference_at(refs, h.offset("b2_billing.py", "def upgrade")), nullptr);
  const uint32_t label = h.offset("b2_billing.py", "'billing'");
  EXPECT_EQ(reference_at(refs, label + 3)->kind, ReferenceKind::BranchLabel);
}

TEST(References, ResolvesWithAlembicsRules) {
  History h = sample();
  auto resolve = [&](const std::string& file, std::string_view needle, int occurrence = 0) {
    const auto refs = collect_references(h.scripts[h.script(file)].parsed);
    const RevisionReference* ref = reference_at(refs, h.offset(file, needle, occurrence) + 1);
    EXPECT_NE(ref, nullptr) << file << " " << needle;
    return ref ? resolve_reference(h.graph, *ref) : std::vector<size_t>{};
  };
  EXPECT_EQ(h.ids_of(resolve("b2_billing.py", "'a1'")), Ids{"a1"});
  EXPECT_EQ(h.ids_of(resolve("b2_billing.py", " a1\n")), Ids{"a1"});  // the Revises: id
  EXPECT_EQ(h.ids_of(resolve("d4_merge.py", "'c3'")), Ids{"c3"});
  EXPECT_EQ(h.ids_of(resolve("d4_merge.py", " c3\n")), Ids{"c3"});
  // depends_on through a branch label lands on the revision declaring it.
  EXPECT_EQ(h.ids_of(resolve("e5_invoices.py", "'billing'")), Ids{"b2"});
  // The label declaration names its own revision.
  EXPECT_EQ(h.ids_of(resolve("b2_billing.py", "'billing'")), Ids{"b2"});
  // A duplicated id has every copy as definition.
  EXPECT_EQ(
      h.files_of(resolve("dup1_first.py", "'dup1'")),
      (std::vector<std::string>{"/proj/versions/dup1_first.py", "/proj/versions/dup1_second.py"}));
  EXPECT_TRUE(resolve("g7_broken.py", "'zzzz'").empty());
}

TEST(References, DownRevisionNeverResolvesABranchLabel) {
  History h;
  h.add("a.py", migration("a", "None", "", "branch_labels = 'lbl'\n"));
  h.add("b.py", migration("b", "'lbl'", "lbl", "depends_on = 'lbl'\n"));
  h.analyse();
  const auto refs = collect_references(h.scripts[1].parsed);
  const auto* down = reference_at(refs, h.offset("b.py", "'lbl'", 0) + 1);
  const auto* dep = reference_at(refs, h.offset("b.py", "'lbl'", 1) + 1);
  ASSERT_TRUE(down && dep);
  EXPECT_EQ(down->kind, ReferenceKind::DownRevision);
  EXPECT_TRUE(resolve_reference(h.graph, *down).empty());
  EXPECT_EQ(h.ids_of(resolve_reference(h.graph, *dep)), Ids{"a"});
}

Ids describe(const History& h, const std::vector<ScriptReference>& found) {
  Ids out;
  for (const ScriptReference& f : found) {
    const std::string& path = h.scripts[f.script].path;
    out.push_back(path.substr(path.rfind('/') + 1) + ":" + reference_kind_name(f.reference.kind));
  }
  return out;
}

TEST(References, FindsEveryUseAcrossTheEnvironment) {
  History h = sample();
  EXPECT_EQ(describe(h, find_references(h.graph, h.scripts, "c3", false)),
            (Ids{"c3_users.py:Revision ID", "d4_merge.py:Revises", "d4_merge.py:down_revision"}));
  EXPECT_EQ(describe(h, find_references(h.graph, h.scripts, "c3", true)),
            (Ids{"c3_users.py:Revision ID", "c3_users.py:revision", "d4_merge.py:Revises",
                 "d4_merge.py:down_revision"}));
  // depends_on through a label counts; with declarations, the label declaration too.
  EXPECT_EQ(describe(h, find_references(h.graph, h.scripts, "b2", false)),
            (Ids{"b2_billing.py:Revision ID", "d4_merge.py:Revises", "d4_merge.py:down_revision",
                 "e5_invoices.py:depends_on"}));
  EXPECT_EQ(
      describe(h, find_references(h.graph, h.scripts, "b2", true)),
      (Ids{"b2_billing.py:Revision ID", "b2_billing.py:revision", "b2_billing.py:branch_labels",
           "d4_merge.py:Revises", "d4_merge.py:down_revision", "e5_invoices.py:depends_on"}));
  // Both declarations of a duplicated id.
  const Ids dup = describe(h, find_references(h.graph, h.scripts, "dup1", true));
  EXPECT_EQ(std::count(dup.begin(), dup.end(), "dup1_first.py:revision"), 1);
  EXPECT_EQ(std::count(dup.begin(), dup.end(), "dup1_second.py:revision"), 1);
  // A missing id is still found by its text.
  EXPECT_EQ(describe(h, find_references(h.graph, h.scripts, "zzzz", false)),
            (Ids{"g7_broken.py:Revises", "g7_broken.py:down_revision"}));
  // Ranges point at the names.
  for (const ScriptReference& f : find_references(h.graph, h.scripts, "a1", true)) {
    const std::string text = h.text_at(f.script, f.reference.range);
    EXPECT_TRUE(text == "a1" || text == "'a1'") << text;
  }
}

TEST(References, FactsOfRevisions) {
  History h = sample();
  const RevisionFacts a1 = revision_facts(h.graph, h.revision("a1"));
  EXPECT_TRUE(a1.base);
  EXPECT_TRUE(a1.branch_point);
  EXPECT_FALSE(a1.head);
  EXPECT_EQ(a1.children, (Ids{"b2", "c3", "dup1"}));
  ASSERT_TRUE(a1.distance);
  EXPECT_EQ(a1.distance->steps, 0u);
  EXPECT_EQ(a1.distance->base, "a1");

  const RevisionFacts b2 = revision_facts(h.graph, h.revision("b2"));
  EXPECT_EQ(b2.own_labels, Ids{"billing"});
  EXPECT_NE(std::find(b2.branch_labels.begin(), b2.branch_labels.end(), "billing"),
            b2.branch_labels.end());
  EXPECT_EQ(b2.dependents, Ids{"e5"});

  const RevisionFacts d4 = revision_facts(h.graph, h.revision("d4"));
  EXPECT_TRUE(d4.merge_point);
  EXPECT_TRUE(d4.branch_point);
  EXPECT_EQ(d4.parents, (Ids{"b2", "c3"}));
  EXPECT_EQ(d4.distance->steps, 2u);

  const RevisionFacts e5 = revision_facts(h.graph, h.revision("e5"));
  EXPECT_TRUE(e5.head);
  EXPECT_FALSE(e5.effective_head);
  EXPECT_EQ(e5.depends_on, Ids{"b2"});
  EXPECT_EQ(e5.distance->steps, 3u);

  // The copy Alembic keeps is the last loaded; both are counted.
  const auto copies = h.graph.by_id.at("dup1");
  ASSERT_EQ(copies.size(), 2u);
  EXPECT_EQ(revision_facts(h.graph, copies[0]).definitions, 2u);
  EXPECT_FALSE(revision_facts(h.graph, copies[0]).kept);
  EXPECT_TRUE(revision_facts(h.graph, copies[1]).kept);

  EXPECT_FALSE(revision_facts(h.graph, h.revision("g7")).distance);  // missing parent
}

TEST(References, EffectiveHead) {
  History h;
  h.add("a.py", migration("a", "None", ""));
  h.add("b.py", migration("b", "'a'", "a"));
  h.add("c.py", migration("c", "'a'", "a", "depends_on = 'b'\n"));
  h.analyse();
  const RevisionFacts b = revision_facts(h.graph, h.revision("b"));
  EXPECT_TRUE(b.head);
  EXPECT_TRUE(b.effective_head);
  EXPECT_EQ(b.dependents, Ids{"c"});
}

TEST(References, DistanceIsTheShortestPath) {
  // m merges a 1-step and a 3-step branch from the same base.
  History h;
  h.add("a.py", migration("a", "None", ""));
  h.add("b.py", migration("b", "'a'", "a"));
  h.add("c.py", migration("c", "'b'", "b"));
  h.add("d.py", migration("d", "'c'", "c"));
  h.add("m.py", migration("m", "('d', 'a')", "d, a"));
  h.analyse();
  EXPECT_EQ(distance_from_base(h.graph, h.revision("m"))->steps, 1u);
  EXPECT_EQ(distance_from_base(h.graph, h.revision("d"))->steps, 3u);
}

TEST(References, DistanceSurvivesCyclesAndLongChains) {
  History cycle;
  cycle.add("a.py", migration("a", "'b'", "b"));
  cycle.add("b.py", migration("b", "'a'", "a"));
  cycle.analyse();
  EXPECT_FALSE(distance_from_base(cycle.graph, cycle.revision("a")));

  // No recursion: a 100,000-long chain is one loop.
  std::vector<Script> scripts;
  const size_t n = 100000;
  for (size_t i = 0; i < n; ++i) {
    Script s;
    s.path = "/p/" + std::to_string(i) + ".py";
    s.parsed.revision.present = true;
    s.parsed.revision.strings.push_back({"r" + std::to_string(i), {}});
    s.parsed.down_revision.present = true;
    if (i == 0) {
      s.parsed.down_revision.is_none = true;
    } else {
      s.parsed.down_revision.strings.push_back({"r" + std::to_string(i - 1), {}});
    }
    scripts.push_back(std::move(s));
  }
  const GraphAnalysis graph = analyze(scripts);
  const auto d = distance_from_base(graph, static_cast<size_t>(graph.find("r99999")));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->steps, n - 1);
  EXPECT_EQ(d->base, "r0");
}

TEST(References, FindingAtTheMissingName) {
  History h = sample();
  const size_t g7 = h.script("g7_broken.py");
  const auto refs = collect_references(h.scripts[g7].parsed);
  const auto* down = reference_at(refs, h.offset("g7_broken.py", "'zzzz'") + 1);
  ASSERT_NE(down, nullptr);
  const Finding* f = finding_at(h.graph, h.scripts[g7].path, down->range, codes::kMissingRevision);
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("zzzz"), std::string::npos);
  EXPECT_EQ(finding_at(h.graph, h.scripts[g7].path, down->range, codes::kMultipleHeads), nullptr);
}

TEST(References, DeclarationRange) {
  History h = sample();
  const size_t c3 = h.script("c3_users.py");
  EXPECT_EQ(h.text_at(c3, revision_declaration_range(h.scripts[c3])), "'c3'");
  Script legacy{"/proj/versions/abc123.py", parse_migration("down_revision = None\n")};
  EXPECT_EQ(revision_declaration_range(legacy), SourceRange{});
}

}  // namespace
