#include <gtest/gtest.h>

#include "analysis/parser.h"

namespace alembic {
namespace {

const char* kConflicted =
    "\"\"\"add ledger\n\nRevision ID: 0f2a\nRevises: 9e1d\n\"\"\"\n"
    "revision = '0f2a'\n"
    "down_revision = '9e1d'\n\n"
    "def upgrade():\n"
    "<<<<<<< HEAD\n"
    "    op.add_column('t', sa.Column('a', sa.Integer()))\n"
    "=======\n"
    "    op.add_column('t', sa.Column('b', sa.Integer()))\n"
    ">>>>>>> feature/b\n";

TEST(ConflictMarkers, ReportedOnBothPathsWithExactLines) {
  const ParsedMigration cold = parse_migration(kConflicted);
  MigrationDocument doc(kConflicted);
  for (const ParsedMigration* p : {&cold, &doc.parsed()}) {
    ASSERT_EQ(p->revision.strings.size(), 1u);
    EXPECT_EQ(p->revision.strings[0].text, "0f2a");  // the header is still read
    std::vector<uint32_t> lines;
    for (const auto& e : p->syntax_errors)
      if (e.message.find("merge-conflict marker") != std::string::npos)
        lines.push_back(e.range.start_line);
    EXPECT_EQ(lines, (std::vector<uint32_t>{9, 11, 13}));
  }
}

TEST(ConflictMarkers, UnderlinesAndDocstringTextAreNotMarkers) {
  const char* text =
      "\"\"\"Title\n=======\n\n<<<<<<< not code in a docstring\n\"\"\"\n"
      "revision = 'a'\ndown_revision = None\n# ========\nX = '=========='\n";
  ParsedMigration p = parse_migration(text);
  for (const auto& e : p.syntax_errors)
    EXPECT_EQ(e.message.find("merge-conflict"), std::string::npos) << e.message;
}

}  // namespace
}  // namespace alembic
