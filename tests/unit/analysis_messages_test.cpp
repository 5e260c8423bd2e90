// How findings read (issue 18, part 3): a first sentence under kMaxFirstSentence characters
// that says what is wrong here, the consequence and fix in the detail, no sentence said
// twice, and related places capped at kMaxRelatedListed with "and N more". The same checks
// over every example and generated broken histories: tests/e2e/test_messages.py.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/findings.h"
#include "analysis/graph.h"
#include "graph_test_support.h"

using namespace alembic;
using namespace graph_test;

namespace {

RelatedLocation place(const std::string& path) {
  return {{path, {}}, "other " + path};
}

}  // namespace

TEST(RelatedCap, FiveOrFewerAreListedAsThey) {
  Finding f;
  add_related_capped(f, {place("a"), place("b"), place("c"), place("d"), place("e")}, "things");
  ASSERT_EQ(f.related.size(), 5u);
  EXPECT_EQ(f.related[4].message, "other e");
}

TEST(RelatedCap, PastFiveOneEntrySaysHowManyMore) {
  Finding f;
  std::vector<RelatedLocation> seven;
  for (const char* p : {"a", "b", "c", "d", "e", "f", "g"}) seven.push_back(place(p));
  add_related_capped(f, seven, "heads");
  ASSERT_EQ(f.related.size(), 6u);
  EXPECT_EQ(f.related[4].message, "other e");
  EXPECT_EQ(f.related[5].message, "and 2 more heads");
  EXPECT_EQ(f.related[5].location.path, "f");  // the first one not listed
}

TEST(RelatedCap, ElevenHeadsEachListFiveOthersAndSixMore) {
  std::vector<Script> scripts{rev("base", {})};
  for (int i = 0; i < 11; ++i) scripts.push_back(rev("h" + std::to_string(10 + i), {"base"}));
  auto f = with_code(analyze(scripts), "multiple-heads");
  ASSERT_EQ(f.size(), 11u);
  for (const Finding& x : f) {
    ASSERT_EQ(x.related.size(), 6u) << x.message;
    for (size_t k = 0; k < 5; ++k) EXPECT_EQ(x.related[k].message.rfind("other head h", 0), 0u);
    EXPECT_EQ(x.related[5].message, "and 5 more heads");
    EXPECT_EQ(x.revisions.size(), 11u);  // the data still names every head
  }
  EXPECT_EQ(f[0].message, "Head h10 is one of 11 heads.");
  EXPECT_EQ(f[10].related[0].message, "other head h10");  // never itself
}

TEST(RelatedCap, PastTheListingLimitStillFiveAndACount) {
  std::vector<Script> scripts{rev("base", {})};
  for (size_t i = 0; i < kMaxListedRevisions + 5; ++i)
    scripts.push_back(rev("h" + std::to_string(1000 + i), {"base"}));
  auto f = with_code(analyze(scripts), "multiple-heads");
  ASSERT_EQ(f.size(), kMaxListedRevisions + 5);
  for (size_t k : {size_t{0}, size_t{3}, size_t{7}, f.size() - 1}) {
    ASSERT_EQ(f[k].related.size(), 6u);
    EXPECT_EQ(f[k].related[5].message,
              "and " + std::to_string(kMaxListedRevisions + 5 - 1 - 5) + " more heads");
    for (size_t j = 0; j < 5; ++j)
      EXPECT_NE(f[k].related[j].message, "other head " + f[k].revisions[0]);
  }
}

TEST(FirstSentence, LongNamesAreShortenedInTheFirstSentenceOnly) {
  const std::string id(150, 'a');
  auto f = with_code(analyze({rev("x", {}), rev("y", {"x"}), rev("z", {id})}), "missing-revision");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_LT(f[0].message.size(), kMaxFirstSentence);
  EXPECT_NE(f[0].message.find("..."), std::string::npos);
  EXPECT_NE(f[0].detail.find("KeyError: '" + id + "'"), std::string::npos);
  EXPECT_EQ(brief("short"), "short");
  EXPECT_EQ(brief(std::string(50, 'b'), 20).size(), 20u);
  // An expression over several lines stays on one line (the soak test of 2026-12-07 found
  // `( None\n\n\ndef upgrad...` in an unresolved-value message).
  EXPECT_EQ(brief("( None\n\n\ndef upgrade():\r\n\tpass"), "( None def upgrade(): pass");
  EXPECT_EQ(brief("a\n" + std::string(60, 'b') + "\n\nc", 20), "a bbbbbbb...bbbbbb c");
  // A cut never splits a UTF-8 character: "é" is two bytes.
  for (size_t max = 8; max < 30; ++max) {
    const std::string cut =
        brief(std::string(12, 'x') + "\xc3\xa9\xc3\xa9\xc3\xa9" + std::string(12, 'y'), max);
    for (size_t i = 0; i < cut.size(); ++i) {
      const auto byte = static_cast<unsigned char>(cut[i]);
      if (byte == 0xc3) {
        EXPECT_TRUE(i + 1 < cut.size() && static_cast<unsigned char>(cut[i + 1]) == 0xa9) << cut;
      }
      if (byte == 0xa9) {
        EXPECT_TRUE(i > 0 && static_cast<unsigned char>(cut[i - 1]) == 0xc3) << cut;
      }
    }
    EXPECT_LE(cut.size(), max) << cut;
  }
  EXPECT_EQ(fit(std::string(100, 'c'), "fallback"), "fallback");
  EXPECT_EQ(fit(std::string(99, 'c'), "fallback"), std::string(99, 'c'));
}

TEST(FirstSentence, FreeTextSplitsAtTheFirstSemicolon) {
  Finding f;
  set_message(f, "unknown key 'x' in [tool.alembic-lsp]; it is ignored");
  EXPECT_EQ(f.message, "Unknown key 'x' in [tool.alembic-lsp].");
  EXPECT_EQ(f.detail, "It is ignored.");
  EXPECT_EQ(full_message(f, "\n"), "Unknown key 'x' in [tool.alembic-lsp].\nIt is ignored.");
  set_message(f, "pyproject.toml has no [tool.alembic] script_location");
  EXPECT_EQ(f.message, "pyproject.toml has no [tool.alembic] script_location.");
  EXPECT_EQ(f.detail, "");
}

TEST(FirstSentence, ConflictMarkerSaysWhyOnce) {
  Script s = rev("a", {});
  s.parsed.syntax_errors.push_back({SourceRange{}, "merge-conflict marker '<<<<<<<'"});
  std::vector<Finding> out;
  add_script_findings(s, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, "Syntax error: merge-conflict marker '<<<<<<<'.");
  EXPECT_EQ(out[0].detail, "Python cannot import this file, so every Alembic command fails on it.");
}
