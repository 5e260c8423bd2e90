// Finding a revision by id prefix or message words, and the one-line summary of a message.
#include <gtest/gtest.h>

#include <set>

#include "analysis/parser.h"
#include "analysis/revision_search.h"

using namespace alembic;

TEST(MatchRevision, IdPrefixIgnoresCase) {
  EXPECT_EQ(match_revision("3f2b", "3f2b9c1d7a4e", "create users"), RevisionMatch::IdPrefix);
  EXPECT_EQ(match_revision("3F2B", "3f2b9c1d7a4e", "create users"), RevisionMatch::IdPrefix);
  EXPECT_EQ(match_revision("", "3f2b9c1d7a4e", ""), RevisionMatch::IdPrefix);
  EXPECT_EQ(match_revision("3f2c", "3f2b9c1d7a4e", "create users"), RevisionMatch::None);
}

// The whole id pasted into the symbol search (or typed out in a completion) is its own
// prefix; one character more is not (mutant search-exact-prefix).
TEST(MatchRevision, WholeIdMatchesAsIdPrefix) {
  EXPECT_EQ(match_revision("3f2b9c1d7a4e", "3f2b9c1d7a4e", "create users"),
            RevisionMatch::IdPrefix);
  EXPECT_EQ(match_revision("3F2B9C1D7A4E", "3f2b9c1d7a4e", "create users"),
            RevisionMatch::IdPrefix);
  EXPECT_EQ(match_revision("3f2b9c1d7a4e0", "3f2b9c1d7a4e", "create users"), RevisionMatch::None);
  EXPECT_EQ(match_revision("a", "a", ""), RevisionMatch::IdPrefix);
}

TEST(MatchRevision, MessageWordsInAnyOrderAsWordPrefixes) {
  const std::string msg = "create orders and order_items";
  EXPECT_EQ(match_revision("orders", "b5e07a3c9f12", msg), RevisionMatch::MessageWords);
  EXPECT_EQ(match_revision("item ord", "b5e07a3c9f12", msg), RevisionMatch::MessageWords);
  EXPECT_EQ(match_revision("Create ITEMS", "b5e07a3c9f12", msg), RevisionMatch::MessageWords);
  EXPECT_EQ(match_revision("order_items", "b5e07a3c9f12", msg), RevisionMatch::MessageWords);
  // Every word must be found, each at the start of a message word.
  EXPECT_EQ(match_revision("orders users", "b5e07a3c9f12", msg), RevisionMatch::None);
  EXPECT_EQ(match_revision("rders", "b5e07a3c9f12", msg), RevisionMatch::None);
}

TEST(MatchRevision, IdPrefixWinsOverMessage) {
  EXPECT_EQ(match_revision("add", "add_tags", "add tags"), RevisionMatch::IdPrefix);
}

TEST(MatchRevision, PunctuationOnlyQueryMatchesNothingButIdPrefixes) {
  EXPECT_EQ(match_revision("--", "b5e07a3c9f12", "create"), RevisionMatch::None);
  EXPECT_EQ(match_revision("20", "2023-11-02", "x"), RevisionMatch::IdPrefix);
}

TEST(MatchRevision, NonAsciiWords) {
  EXPECT_EQ(match_revision("größe", "aa", "Spalte größe hinzufügen"), RevisionMatch::MessageWords);
}

TEST(MessageSummary, FirstLineTrimmed) {
  EXPECT_EQ(message_summary("  add users \nsecond line"), "add users");
  EXPECT_EQ(message_summary(""), "");
}

TEST(MessageSummary, CutsAtCharacterBoundary) {
  EXPECT_EQ(message_summary("abcdef", 3), "abc…");
  EXPECT_EQ(message_summary("abc", 3), "abc");
  // "é" is two bytes; a cut in its middle backs up before it.
  EXPECT_EQ(message_summary("aé", 2), "a…");
  EXPECT_EQ(message_summary("ab cd", 3), "ab…");
}

namespace {

Script script(const std::string& id, const std::string& down, const std::string& extra = "") {
  return {"/v/" + id + ".py",
          parse_migration("revision = '" + id + "'\ndown_revision = " + down + "\n" + extra)};
}

std::set<std::string> sorted(const std::unordered_set<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

}  // namespace

TEST(DescendantIds, ChildrenAndDependentsTransitively) {
  // a ─ b ─ c        d depends_on b; e ─ d's child
  const GraphAnalysis g =
      analyze({script("a", "None"), script("b", "'a'"), script("c", "'b'"),
               script("d", "None", "depends_on = 'b'"), script("e", "'d'"), script("x", "None")});
  EXPECT_EQ(sorted(descendant_ids(g, "a")), (std::set<std::string>{"b", "c", "d", "e"}));
  EXPECT_EQ(sorted(descendant_ids(g, "b")), (std::set<std::string>{"c", "d", "e"}));
  EXPECT_TRUE(descendant_ids(g, "c").empty());
  EXPECT_TRUE(descendant_ids(g, "x").empty());
  EXPECT_TRUE(descendant_ids(g, "nope").empty());
}

TEST(DescendantIds, CyclesEndAndIncludeTheStart) {
  const GraphAnalysis g = analyze({script("a", "'c'"), script("b", "'a'"), script("c", "'b'")});
  EXPECT_EQ(sorted(descendant_ids(g, "a")), (std::set<std::string>{"a", "b", "c"}));
}

TEST(DescendantIds, DeepChainWithoutRecursion) {
  std::vector<Script> scripts{script("r0", "None")};
  for (int i = 1; i < 20000; ++i)
    scripts.push_back(script("r" + std::to_string(i), "'r" + std::to_string(i - 1) + "'"));
  const GraphAnalysis g = analyze(scripts);
  EXPECT_EQ(descendant_ids(g, "r0").size(), 19999u);
}
