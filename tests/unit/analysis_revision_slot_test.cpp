// The completion context: where in down_revision / depends_on a cursor is, and what
// has been typed there.
#include <gtest/gtest.h>

#include <string>

#include "analysis/parser.h"
#include "analysis/revision_slot.h"

using namespace alembic;

namespace {

// The slot at the `|` of `text` (the bar is removed before parsing).
std::optional<RevisionSlot> slot(std::string text) {
  const size_t at = text.find('|');
  EXPECT_NE(at, std::string::npos);
  text.erase(at, 1);
  return revision_slot_at(text, parse_migration(text), static_cast<uint32_t>(at));
}

std::string replaced(std::string text, const RevisionSlot& s) {
  text.erase(text.find('|'), 1);
  return text.substr(s.replace_start, s.replace_end - s.replace_start);
}

const std::string kHead = "\"\"\"m\n\"\"\"\nrevision = \"aa\"\n";

}  // namespace

TEST(RevisionSlot, InsideDownRevisionString) {
  const std::string text = kHead + "down_revision = 'b5e|07a'\n";
  auto s = slot(text);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, ReferenceKind::DownRevision);
  EXPECT_TRUE(s->in_string);
  EXPECT_EQ(s->prefix, "b5e");
  EXPECT_EQ(replaced(text, *s), "b5e07a");
  EXPECT_EQ(s->quote, '\'');
}

TEST(RevisionSlot, EmptyStringAndUnterminatedString) {
  auto empty = slot(kHead + "down_revision = \"|\"\n");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->in_string);
  EXPECT_EQ(empty->prefix, "");
  EXPECT_EQ(empty->replace_start, empty->replace_end);
  EXPECT_EQ(empty->quote, '"');

  const std::string open = kHead + "down_revision = 'ab|cd\nbranch_labels = None\n";
  auto s = slot(open);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->in_string);
  EXPECT_EQ(s->prefix, "ab");
  EXPECT_EQ(replaced(open, *s), "abcd");
}

TEST(RevisionSlot, BareAssignmentUsesTheFileQuote) {
  auto s = slot(kHead + "down_revision = |\n");
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->in_string);
  EXPECT_EQ(s->prefix, "");
  EXPECT_EQ(s->replace_start, s->replace_end);
  EXPECT_EQ(s->quote, '"');  // revision = "aa"

  auto no_space = slot("revision = 'aa'\ndown_revision=|");
  ASSERT_TRUE(no_space);
  EXPECT_EQ(no_space->quote, '\'');
}

TEST(RevisionSlot, BareWordIsThePrefix) {
  const std::string text = kHead + "down_revision = b5|e0\n";
  auto s = slot(text);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->in_string);
  EXPECT_EQ(s->prefix, "b5");
  EXPECT_EQ(replaced(text, *s), "b5e0");
}

TEST(RevisionSlot, BareNoneIsReplacedByAnyName) {
  const std::string text = kHead + "down_revision = No|ne\n";
  auto s = slot(text);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->prefix, "");
  EXPECT_EQ(replaced(text, *s), "None");
  auto partial = slot(kHead + "down_revision = No|\n");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->prefix, "No");
}

TEST(RevisionSlot, AnnotatedAndTupleElements) {
  auto annotated = slot(kHead + "down_revision: Union[str, Sequence[str], None] = '|'\n");
  ASSERT_TRUE(annotated);
  EXPECT_TRUE(annotated->in_string);

  auto second = slot(kHead + "down_revision = ('aa', 'b|')\n");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->prefix, "b");

  auto after_comma = slot(kHead + "down_revision = ('aa', |)\n");
  ASSERT_TRUE(after_comma);
  EXPECT_FALSE(after_comma->in_string);

  auto depends = slot(kHead + "depends_on = ['|']\n");
  ASSERT_TRUE(depends);
  EXPECT_EQ(depends->kind, ReferenceKind::DependsOn);
}

TEST(RevisionSlot, LaterLineOfAMultiLineTuple) {
  auto s = slot(kHead + "down_revision = (\n    'aa',\n    'c|',\n)\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, ReferenceKind::DownRevision);
  EXPECT_TRUE(s->in_string);
  EXPECT_EQ(s->prefix, "c");
}

TEST(RevisionSlot, NotASlot) {
  EXPECT_FALSE(slot(kHead + "down_revision = 'aa' |\n"));      // after a complete value
  EXPECT_FALSE(slot(kHead + "down_revision = 'aa'  # c|\n"));  // in a comment
  EXPECT_FALSE(slot(kHead + "down_rev|ision = 'aa'\n"));       // on the name
  EXPECT_FALSE(slot(kHead + "revision_x = '|'\n"));            // another variable
  EXPECT_FALSE(slot(kHead + "    down_revision = '|'\n"));     // not module level
  EXPECT_FALSE(slot(kHead + "branch_labels = ('|',)\n"));      // declares, names nothing
  EXPECT_FALSE(slot(kHead + "x = down_revision == '|'\n"));
  EXPECT_FALSE(slot("|"));
}

TEST(RevisionSlot, OffsetPastTheEndIsClamped) {
  const std::string text = kHead + "down_revision = ";
  auto s = revision_slot_at(text, parse_migration(text), 100000);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->replace_start, text.size());
}
