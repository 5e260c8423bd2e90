// The edits behind the operation quick fixes (analysis/operation_fixes.h): applied to the
// source, read back with the operations reader, and the finding gone.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "analysis/operation_findings.h"
#include "analysis/operation_fixes.h"
#include "analysis/operations.h"

using namespace alembic;

namespace {

std::string apply_plan(std::string source, const EditPlan& plan) {
  for (auto it = plan.edits.rbegin(); it != plan.edits.rend(); ++it)
    source.replace(it->start, it->end - it->start, it->new_text);
  return source;
}

std::vector<std::string> codes(const std::string& source, const std::string& dialect) {
  LintOptions options;
  options.dialect = dialect;
  std::vector<Finding> out;
  add_operation_findings("m.py", read_operations(source), options, out);
  std::vector<std::string> c;
  for (const Finding& f : out) c.push_back(f.code);
  return c;
}

bool has(const std::vector<std::string>& v, const std::string& code) {
  return std::find(v.begin(), v.end(), code) != v.end();
}

std::string migration(const std::string& upgrade) {
  return "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n" + upgrade +
         "\n\ndef downgrade():\n    op.drop_column('orders', 'x')\n";
}

TEST(OperationFixes, ServerDefaultByTheTypeFamily) {
  const struct {
    const char* type;
    const char* literal;
  } cases[] = {{"sa.Integer()", "\"0\""},
               {"sa.Numeric(12, 2)", "\"0\""},
               {"Boolean", "\"false\""},
               {"sa.String(length=32)", "\"\""},
               {"sa.Text()", "\"\""}};
  for (const auto& c : cases) {
    const std::string src = migration("    op.add_column('orders', sa.Column('x', " +
                                      std::string(c.type) + ", nullable=False))");
    ASSERT_TRUE(has(codes(src, ""), "not-null-without-default")) << c.type;
    const Operation op = read_operations(src).upgrade.operations.at(0);
    std::string value;
    const std::optional<EditPlan> plan = plan_server_default("m.py", src, op, &value);
    ASSERT_TRUE(plan) << c.type;
    EXPECT_EQ(value, c.literal);
    const std::string fixed = apply_plan(src, *plan);
    EXPECT_NE(
        fixed.find(std::string(c.type) + ", server_default=" + c.literal + ", nullable=False)"),
        std::string::npos)
        << fixed;
    EXPECT_EQ(read_operations(fixed).upgrade.operations.at(0).server_default, Flag::True);
    EXPECT_FALSE(has(codes(fixed, ""), "not-null-without-default")) << fixed;
  }
}

TEST(OperationFixes, NoServerDefaultWithoutAnObviousLiteralOrWrittenNullable) {
  for (const char* column :
       {"sa.Column('x', JSONB(), nullable=False)", "sa.Column('x', sa.Integer(), primary_key=True)",
        "sa.Column('x', sa.Integer(), nullable=NOT_NULL)"}) {
    const std::string src = migration("    op.add_column('orders', " + std::string(column) + ")");
    const std::vector<Operation> ops = read_operations(src).upgrade.operations;
    ASSERT_EQ(ops.size(), 1u);
    EXPECT_FALSE(plan_server_default("m.py", src, ops[0])) << column;
  }
  // existing_nullable is not nullable.
  const std::string src = migration(
      "    op.add_column('orders', sa.Column('x', sa.Integer(), info={'existing_nullable=False': "
      "1}, nullable=False))");
  const Operation op = read_operations(src).upgrade.operations.at(0);
  const std::string fixed = apply_plan(src, *plan_server_default("m.py", src, op));
  EXPECT_NE(fixed.find("server_default=\"0\", nullable=False))"), std::string::npos) << fixed;
}

TEST(OperationFixes, ConcurrentIndexInAnAutocommitBlock) {
  const std::string src = migration(
      "    op.create_index('ix_a', 'orders', ['a'])\n"
      "    op.create_index(\n        'ix_b',\n        'orders',\n        ['b'],\n    )  # b\n"
      "    op.drop_column('orders', 'y')");
  ASSERT_TRUE(has(codes(src, "postgresql"), "index-not-concurrent"));
  std::string text = src;
  for (int round = 0; round < 2; ++round) {
    const std::vector<Operation> ops = read_operations(text).upgrade.operations;
    for (const Operation& op : ops) {
      if (op.kind != OpKind::CreateIndex || op.concurrently == Flag::True) continue;
      const std::optional<EditPlan> plan = plan_concurrent_index("m.py", text, op);
      ASSERT_TRUE(plan);
      text = apply_plan(text, *plan);
      break;
    }
  }
  EXPECT_NE(text.find("    with op.get_context().autocommit_block():\n"
                      "        op.create_index('ix_a', 'orders', ['a'], "
                      "postgresql_concurrently=True)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    with op.get_context().autocommit_block():\n"
                      "        op.create_index(\n            'ix_b',\n            'orders',\n"
                      "            ['b'], postgresql_concurrently=True,\n        )  # b\n"),
            std::string::npos)
      << text;
  const std::vector<Operation> ops = read_operations(text).upgrade.operations;
  ASSERT_EQ(ops.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(ops[i].concurrently, Flag::True);
    EXPECT_TRUE(ops[i].in_autocommit_block);
  }
  EXPECT_FALSE(ops[2].in_autocommit_block);  // the next statement stays outside
  const std::vector<std::string> after = codes(text, "postgresql");
  EXPECT_FALSE(has(after, "index-not-concurrent"));
  EXPECT_FALSE(has(after, "concurrently-in-transaction"));
}

TEST(OperationFixes, ConcurrentlyGivenOnlyMovesAndInABlockOnlyAddsTheOption) {
  const std::string moved =
      migration("    op.drop_index('ix_a', table_name='orders', postgresql_concurrently=True)");
  ASSERT_TRUE(has(codes(moved, "postgresql"), "concurrently-in-transaction"));
  Operation op = read_operations(moved).upgrade.operations.at(0);
  std::string text = apply_plan(moved, *plan_concurrent_index("m.py", moved, op));
  EXPECT_NE(
      text.find("    with op.get_context().autocommit_block():\n        op.drop_index('ix_a', "
                "table_name='orders', postgresql_concurrently=True)\n"),
      std::string::npos)
      << text;
  EXPECT_FALSE(has(codes(text, "postgresql"), "concurrently-in-transaction"));

  const std::string in_block = migration(
      "    with op.get_context().autocommit_block():\n        op.create_index('ix', 't', ['a'])");
  op = read_operations(in_block).upgrade.operations.at(0);
  text = apply_plan(in_block, *plan_concurrent_index("m.py", in_block, op));
  EXPECT_NE(text.find("        op.create_index('ix', 't', ['a'], postgresql_concurrently=True)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("autocommit_block():\n        with"), std::string::npos);
}

TEST(OperationFixes, NoWrapWhereItWouldChangeMeaning) {
  for (const char* upgrade :
       {"    x = op.create_index('ix', 't', ['a'])",  // not a statement of its own
        "    op.create_index('ix', 't', ['a'], postgresql_where=sa.text(\"\"\"\n    a > "
        "0\n\"\"\"))",
        "    op.create_index('ix', 't', ['a'], postgresql_concurrently=False)"}) {
    const std::string src = migration(upgrade);
    for (const Operation& op : read_operations(src).upgrade.operations) {
      if (op.kind == OpKind::CreateIndex) {
        EXPECT_FALSE(plan_concurrent_index("m.py", src, op)) << upgrade;
      }
    }
  }
}

TEST(OperationFixes, WindowsLineEndsAreKept) {
  std::string src = migration("    op.create_index('ix', 't', ['a'])");
  std::string crlf;
  for (char c : src) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const Operation op = read_operations(crlf).upgrade.operations.at(0);
  const std::string text = apply_plan(crlf, *plan_concurrent_index("m.py", crlf, op));
  EXPECT_NE(text.find("autocommit_block():\r\n        op.create_index"), std::string::npos);
}

}  // namespace
