// The tree-sitter reader of operations on files over 32 KiB, read in parts
// (analysis/operations_parts.h): what no part can hold is listed as unread with its lines
// and the reason, never guessed; long strings cost tree-sitter nothing; hostile files
// (tens of thousands of comment lines or statements in a body, broken syntax) are read
// with the work given to tree-sitter bounded by their size, counted, never timed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analysis/operation_findings.h"
#include "analysis/operations.h"
#include "analysis/operations_parts.h"
#include "analysis/ts_python.h"
#include "operations_parts_test_support.h"

using namespace alembic;
using namespace parts_test;

namespace {

TEST(OperationsParts, WhatNoPartCanHoldIsListedNotGuessed) {
  // An if/else over the limit whose else clause is on its header's line, and an
  // op.execute with a 47 KiB list: neither can be cut at statement boundaries. The
  // statements around them are read.
  std::string src = "from alembic import op\n\ndef upgrade():\n    op.drop_table('before')\n";
  const size_t if_line = 4;
  src += "    if dialect == 'sqlite':\n";
  for (int i = 0; i < 800; ++i)
    src += "        op.add_column('t', sa.Column('c" + std::to_string(i) + "', sa.Integer()))\n";
  src += "    else: op.drop_table('other')\n";
  std::string numbers;
  for (int i = 0; i < 8000; ++i) numbers += "1000, ";
  src += "    op.execute(sql, [" + numbers + "])\n";
  src += "    op.drop_table('after')\n\ndef downgrade():\n    op.create_table('before')\n";
  const MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.operations.size(), 2u);
  EXPECT_EQ(ops.upgrade.operations[0].table.text, "before");
  EXPECT_EQ(ops.upgrade.operations[1].table.text, "after");
  ASSERT_EQ(ops.upgrade.unread.size(), 2u);
  const UnreadPart& branch = ops.upgrade.unread[0];
  EXPECT_EQ(branch.range.start_line, if_line);
  EXPECT_EQ(lines_of(branch.range), "lines 5-806");
  EXPECT_NE(branch.reason.find("a statement that cannot be cut of 4"), std::string::npos)
      << branch.reason;
  EXPECT_EQ(lines_of(ops.upgrade.unread[1].range), "line 807");
  EXPECT_EQ(ops.upgrade.unread[1].reason,
            "one logical line of 47 KiB, over the 32 KiB tree-sitter is given at once");
  EXPECT_EQ(describe_unread({ops.upgrade.unread[1]}),
            "not read: line 807 (one logical line of 47 KiB, over the 32 KiB tree-sitter is "
            "given at once)");
  EXPECT_TRUE(ops.downgrade.complete());
  // downgrade() does not drop 'after': said, since downgrade() was read whole. Had
  // downgrade() statements left unread, nothing would be said.
  std::vector<Finding> found;
  add_operation_findings("m.py", ops, LintOptions{}, found);
  size_t not_inverse = 0;
  for (const Finding& f : found) not_inverse += f.code == "downgrade-not-inverse";
  EXPECT_EQ(not_inverse, 1u);
  MigrationOperations swapped;
  swapped.upgrade = ops.downgrade;
  swapped.downgrade = ops.upgrade;
  found.clear();
  add_operation_findings("m.py", swapped, LintOptions{}, found);
  for (const Finding& f : found) EXPECT_NE(f.code, "downgrade-not-inverse");
}

TEST(OperationsParts, TheTextOfLongStringsIsNotGivenToTreeSitter) {
  // An op.execute of 200 KiB of SQL in a body that is not flat: the string's text is left
  // out of the parts (its value is read from the file's bytes), so the line fits in one.
  std::string sql;
  for (int i = 0; i < 4000; ++i)
    sql += "INSERT INTO roles (id, name) VALUES (" + std::to_string(i) + ", 'role');\n";
  ASSERT_GT(sql.size(), 150u * 1024);
  std::string src = "def upgrade():\n    if x:\n        op.drop_table('t')\n";
  src += "    op.execute(\"\"\"" + sql + "\"\"\")\n";
  src +=
      "    op.execute(b'" + std::string(40000, 'b') + "' r'\\" + std::string(40000, 'r') + "')\n";
  src += "    op.execute(f'" + std::string(100, 'f') + "{x}')\n";
  const parts::Plan plan = parts::plan(src, ts::kMaxFullTree);
  ASSERT_EQ(plan.parts.size(), 1u);
  expect_bounded(plan, src, ts::kMaxFullTree);
  const MigrationOperations ops = read_operations(src);
  EXPECT_TRUE(ops.upgrade.complete());
  ASSERT_EQ(ops.upgrade.operations.size(), 4u);
  EXPECT_EQ(ops.upgrade.operations[1].sql.state, OpValue::State::Literal);
  EXPECT_EQ(ops.upgrade.operations[1].sql.text, sql);
  EXPECT_EQ(ops.upgrade.operations[1].range.end_line, 4003u);
  EXPECT_EQ(ops, whole(src));  // the bytes, raw and f-strings read as in the whole tree
}

TEST(OperationsParts, AnUnreadFirstStatementMakesTheBodyStatements) {
  // A 40 KiB expression first: the body is not known to be empty.
  std::string src = "def upgrade():\n    if x:\n        op.drop_table('t')\n\n";
  src += "def downgrade():\n    (" + std::string(40 * 1024, '1') + ")\n    pass\n";
  const MigrationOperations ops = read_operations(src);
  EXPECT_EQ(ops.downgrade.body, BodyKind::Statements);
  EXPECT_FALSE(ops.downgrade.complete());
  std::vector<Finding> found;
  add_operation_findings("m.py", ops, LintOptions{}, found);
  for (const Finding& f : found) EXPECT_NE(f.code, "irreversible-downgrade");
  // Nor known to raise first, when a raise follows it.
  const size_t pass = src.rfind("pass");
  src.replace(pass, 4, "raise NotImplementedError()");
  const MigrationOperations raising = read_operations(src);
  EXPECT_EQ(raising.downgrade.body, BodyKind::Statements);
  found.clear();
  add_operation_findings("m.py", raising, LintOptions{}, found);
  for (const Finding& f : found) EXPECT_NE(f.code, "irreversible-downgrade");
}

TEST(OperationsParts, ADefinitionWhoseHeaderIsOverTheLimitIsUnreadWhole) {
  std::string src = "def upgrade(x=[" + std::string(40 * 1024, '1') + "]):\n    if x:\n";
  src += "        op.drop_table('t')\n\ndef downgrade():\n    pass\n";
  const MigrationOperations ops = read_operations(src);
  EXPECT_EQ(ops.upgrade.body, BodyKind::Statements);
  EXPECT_TRUE(ops.upgrade.operations.empty());
  ASSERT_EQ(ops.upgrade.unread.size(), 1u);
  EXPECT_EQ(lines_of(ops.upgrade.unread[0].range), "lines 1-3");
  EXPECT_EQ(ops.upgrade.name_range.start_byte, 4u);
  EXPECT_EQ(ops.upgrade.name_range.end_byte, 11u);
  EXPECT_EQ(ops.downgrade.body, BodyKind::Empty);
  EXPECT_TRUE(ops.downgrade.complete());
}

TEST(OperationsParts, AHelperOverTheLimitIsReadAndItsUnreadPartsReported) {
  std::string src = "from alembic import op\n\ndef _steps():\n";
  for (int i = 0; i < 900; ++i) src += "    op.drop_index('ix_" + std::to_string(i) + "')\n";
  src += "    op.execute(" + std::string(33 * 1024, '7') + ")\n";
  src += "\ndef upgrade():\n    _steps()\n\ndef downgrade():\n    pass\n";
  const MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.operations.size(), 900u);
  EXPECT_EQ(ops.upgrade.operations[899].helper, "_steps");
  ASSERT_EQ(ops.upgrade.unread.size(), 1u);
  EXPECT_EQ(ops.upgrade.unread[0].range.start_line, 903u);
}

TEST(OperationsParts, AModuleBindingOverTheLimitMakesItsNameUnknown) {
  std::string src = "roles = table('roles')\nroles = table('roles', " +
                    std::string(33 * 1024, ' ') + "column('id'))\n";
  src += "def upgrade():\n    if x:\n        op.bulk_insert(roles, [])\n";
  MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.operations.size(), 1u);
  EXPECT_EQ(ops.upgrade.operations[0].table.state, OpValue::State::Unknown);
  EXPECT_EQ(ops.upgrade.operations[0].table.text, "roles");
  // Bound again after it, within the limit: known again.
  src += "roles = table('later')\n";
  ops = read_operations(src);
  EXPECT_EQ(ops.upgrade.operations[0].table.text, "later");
  EXPECT_TRUE(ops.upgrade.operations[0].table.literal());
}

TEST(OperationsParts, ManyUnreadStatementsAreAllListedAndDescribedShortly) {
  std::string line = "    op.execute(sql, [" + std::string(33 * 1024, '9') + "])\n";
  std::string src = "def upgrade():\n    if x:\n        op.drop_table('t')\n";
  for (int i = 0; i < 5; ++i) src += line;
  const MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.unread.size(), 5u);
  EXPECT_EQ(lines_of(ops.upgrade.unread[4].range), "line 8");
  const std::string text = describe_unread(ops.upgrade.unread);
  EXPECT_EQ(text.rfind("not read: line 4 (one logical line of 34 KiB", 0), 0u) << text;
  EXPECT_NE(text.find("; line 6 ("), std::string::npos);
  EXPECT_EQ(text.find("line 7"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 12), "; and 2 more") << text;
  EXPECT_NE(describe_unread(ops.upgrade.unread, 5).find("; line 8 ("), std::string::npos);
}

TEST(OperationsParts, IndentationPythonRefusesEndsWhatIsRead) {
  std::string src = "def upgrade():\n    op.drop_table('a')\n";
  for (int i = 0; i < 2000; ++i)
    src += "    if x:\n        op.drop_table('t" + std::to_string(i) + "')\n";
  src += "  op.drop_table('b')\n    op.drop_table('c')\n";
  const MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.operations.size(), 2001u);
  ASSERT_EQ(ops.upgrade.unread.size(), 1u);
  EXPECT_EQ(ops.upgrade.unread[0].reason, "indentation Python refuses (line 4003)");
  EXPECT_EQ(lines_of(ops.upgrade.unread[0].range), "lines 4003-4004");
}

// Hostile forms: no crash, and the work given to tree-sitter bounded by the file's size
// (counted in included bytes per part, never timed).
TEST(OperationsParts, SeventyThousandCommentLinesInABodyAreNotGivenToTreeSitter) {
  std::string src = "def upgrade():\n    if x:\n";
  for (int i = 0; i < 70000; ++i) src += "        # a comment line\n";
  src += "        op.drop_table('t')\n";
  for (int i = 0; i < 70000; ++i) src += "    #\n";
  src += "    op.drop_table('u')\n";
  const parts::Plan plan = parts::plan(src, ts::kMaxFullTree);
  ASSERT_EQ(plan.parts.size(), 1u);
  size_t bytes = 0;
  for (const TSRange& r : plan.parts[0].ranges) bytes += r.end_byte - r.start_byte;
  EXPECT_LT(bytes, 100u);
  const MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.operations.size(), 2u);
  EXPECT_EQ(ops.upgrade.operations[1].range.start_line, 70000u + 70003u);
}

TEST(OperationsParts, SeventyThousandStatementsInABodyAreReadInBoundedParts) {
  std::string src = "def upgrade():\n    t = 'x'\n";
  for (int i = 0; i < 70000; ++i) src += "    op.drop_table(t)\n";
  src += "def downgrade():\n    with op.batch_alter_table('t') as b:\n";
  for (int i = 0; i < 70000; ++i) src += "        # comment\n        b.drop_column('c')\n";
  const parts::Plan plan = parts::plan(src, ts::kMaxFullTree);
  expect_bounded(plan, src, ts::kMaxFullTree);
  EXPECT_LT(plan.parts.size(), src.size() / (ts::kMaxFullTree / 2));
  const MigrationOperations ops = read_operations(src);
  EXPECT_EQ(ops.upgrade.operations.size(), 70000u);
  EXPECT_TRUE(ops.upgrade.complete());
  ASSERT_EQ(ops.downgrade.operations.size(), 70000u);
  EXPECT_TRUE(ops.downgrade.operations.back().batch);
  EXPECT_EQ(ops.downgrade.operations.back().table.text, "t");
}

TEST(OperationsParts, SeventyThousandCommentLinesInsideOneCallAreUnread) {
  // Comments inside brackets belong to the logical line: over the limit, not read.
  std::string src = "def upgrade():\n    if x:\n        pass\n    op.add_column('t',\n";
  for (int i = 0; i < 70000; ++i) src += "        # c\n";
  src += "        sa.Column('c'))\n    op.drop_table('u')\n";
  const MigrationOperations ops = read_operations(src);
  ASSERT_EQ(ops.upgrade.operations.size(), 1u);
  EXPECT_EQ(ops.upgrade.operations[0].table.text, "u");
  ASSERT_EQ(ops.upgrade.unread.size(), 1u);
  EXPECT_EQ(ops.upgrade.unread[0].range.start_line, 3u);
}

TEST(OperationsParts, BrokenAndOddLargeFilesAreSafe) {
  // Unclosed brackets and strings, deep nesting, NULs, a BOM, tabs: no crash.
  std::string pad;
  for (int i = 0; i < 3000; ++i) pad += "    x = [" + std::to_string(i) + "]\n";
  const std::vector<std::string> sources = {
      "def upgrade():\n" + pad + "    op.add_column('t', (\n",
      "def upgrade():\n" + pad + "    op.execute('''never closed\n",
      "def upgrade():\n" + pad + "    op.drop_table(" + std::string(300, '(') + "\n",
      std::string("\xEF\xBB\xBF") + "def upgrade():\n" + pad + "    if x:\n\top.drop_table('t')\n",
      "def upgrade():\n" + pad + std::string("    op.drop_table('a\0b')\n", 25),
      "@decorator\ndef upgrade():\n" + pad + "    if x:\n        op.drop_table('t')\n",
      "async def upgrade():\n" + pad + "    if x:\n        op.drop_table('t')\n",
      "class X:\n" + pad + "def upgrade(): op.drop_table('t')\n",
  };
  for (const std::string& src : sources) {
    ASSERT_GT(src.size(), ts::kMaxFullTree);
    const MigrationOperations ops = read_operations(src);
    expect_bounded(parts::plan(src, ts::kMaxFullTree), src, ts::kMaxFullTree);
    (void)ops;
  }
  // The decorated, async and one-line definitions are read as in a whole tree.
  for (size_t i = 5; i < sources.size(); ++i) {
    const MigrationOperations ops = read_operations(sources[i]);
    ASSERT_EQ(ops.upgrade.operations.size(), 1u) << i;
    EXPECT_EQ(ops.upgrade.operations[0].table.text, "t");
    EXPECT_EQ(ops, whole(sources[i])) << i;
  }
}

}  // namespace
