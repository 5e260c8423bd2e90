// The tree-sitter reader of operations on files over 32 KiB, read in parts
// (analysis/operations_parts.h): the same operations, ranges included, as a reading of
// the whole tree wherever the parts hold every statement (big bodies in the forms real
// projects use, compound statements cut clause by clause, every migration of the
// repository in small parts), and findings and quick fixes on them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/operation_findings.h"
#include "analysis/operation_fixes.h"
#include "analysis/operations.h"
#include "analysis/operations_parts.h"
#include "analysis/ts_python.h"
#include "operations_parts_test_support.h"

using namespace alembic;
using namespace parts_test;
namespace fs = std::filesystem;

namespace {

// The forms real projects use, in one upgrade() of about `blocks` * 2.5 KiB: batch
// blocks, a helper called from upgrade(), op.execute with long SQL, if/else, for loops,
// a table() bound at module level and in the body, comments between statements.
std::string big_migration(int blocks, const char* nl = "\n") {
  std::vector<std::string> out = {
      "\"\"\"big data migration\n\nRevision ID: 0123456789ab\n\"\"\"",
      "from alembic import op",
      "import sqlalchemy as sa",
      "from sqlalchemy.sql import table, column",
      "",
      "revision = '0123456789ab'",
      "down_revision = None",
      "roles = table('roles', column('id', sa.Integer))",
      "",
      "",
      "def _backfill(name):",
      "    op.execute(sa.text('UPDATE ' + name + ' SET flag = 1'))",
      "    op.bulk_insert(roles, [{'id': 1}])",
      "",
      "",
      "def upgrade() -> None:",
      "    \"\"\"Splits the accounts tables.\"\"\"",
  };
  for (int i = 0; i < blocks; ++i) {
    const std::string n = std::to_string(i);
    std::string sql = "        UPDATE t" + n + " SET c" + n + " = 0 WHERE id IN (";
    for (int k = 0; k < 150; ++k) sql += (k ? ", " : "") + std::to_string(k * 7 + i);
    sql += ")";
    for (const std::string& line : std::vector<std::string>{
             "    # ---- step " + n + " ----",
             "    with op.batch_alter_table('t" + n + "', schema=None) as batch_op:",
             "        batch_op.add_column(sa.Column('c" + n + "', sa.Integer(), nullable=False))",
             "        batch_op.alter_column('name', existing_type=sa.VARCHAR(length=50),",
             "                              type_=sa.String(length=100))",
             "        batch_op.create_index(batch_op.f('ix_t" + n + "_c" + n + "'), ['c" + n +
                 "'], unique=False)",
             "    op.execute(\"\"\"",
             sql,
             "    \"\"\")",
             "    if op.get_context().dialect.name == 'postgresql':",
             "        with op.get_context().autocommit_block():",
             "            op.create_index('ix_p" + n + "', 't" + n + "', ['c" + n +
                 "'], postgresql_concurrently=True)",
             "    else:",
             "        op.create_index('ix_p" + n + "', 't" + n + "', ['c" + n + "'])",
             "    for name in ('a" + n + "', 'b" + n + "'):",
             "        op.drop_column(name, 'old" + n + "')",
             "    accounts = table('acc" + n + "', column('id'))",
             "    op.bulk_insert(accounts, [{'id': " + n + "}])",
             "    _backfill('t" + n + "')",
         })
      out.push_back(line);
  }
  out.push_back("");
  out.push_back("");
  out.push_back("def downgrade() -> None:");
  for (int i = 0; i < blocks; ++i) out.push_back("    op.drop_table('t" + std::to_string(i) + "')");
  std::string text;
  for (const std::string& line : out) {
    for (char c : line) {
      if (c == '\n')
        text += nl;
      else
        text += c;
    }
    text += nl;
  }
  return text;
}

// Operations per block of big_migration: add_column, alter_column, create_index, execute,
// two create_index, drop_column, bulk_insert, and the helper's execute and bulk_insert.
constexpr size_t kOpsPerBlock = 10;

TEST(OperationsParts, ABodyOfFortyToOneHundredKiBReadsAsTheWholeTree) {
  for (int blocks : {26, 60}) {
    const std::string src = big_migration(blocks);
    ASSERT_GT(src.size(), 40u * 1024);
    ASSERT_LT(src.size(), 110u * 1024);
    const MigrationOperations ops = read_operations(src);  // not flat: the tree reader
    EXPECT_TRUE(ops.upgrade.complete()) << describe_unread(ops.upgrade.unread);
    EXPECT_EQ(ops.upgrade.operations.size(), kOpsPerBlock * static_cast<size_t>(blocks));
    EXPECT_EQ(ops.downgrade.operations.size(), static_cast<size_t>(blocks));
    EXPECT_EQ(ops.upgrade.body, BodyKind::Statements);
    // The whole tree of this file is safe to build (no node near 65,536 children): the
    // parts give exactly its operations, ranges included.
    EXPECT_EQ(ops, whole(src));
    const parts::Plan plan = parts::plan(src, ts::kMaxFullTree);
    // The SQL strings' text is left out of the parts: 26 blocks fit in one, 60 do not.
    EXPECT_EQ(plan.parts.size() >= 2, blocks == 60);
    expect_bounded(plan, src, ts::kMaxFullTree);
    expect_parts_parse(plan, src);
  }
}

TEST(OperationsParts, TheFormsReadAreThoseOfRealProjects) {
  const MigrationOperations ops = read_operations(big_migration(30));
  const std::vector<Operation>& up = ops.upgrade.operations;
  ASSERT_EQ(up.size(), 300u);
  const Operation& last = up[up.size() - kOpsPerBlock];  // the last block's add_column
  EXPECT_EQ(last.function, "add_column");
  EXPECT_TRUE(last.batch);
  EXPECT_EQ(last.table.text, "t29");
  EXPECT_EQ(last.column.text, "c29");
  EXPECT_EQ(last.nullable, Flag::False);
  const Operation& sql = up[up.size() - kOpsPerBlock + 3];
  EXPECT_EQ(sql.kind, OpKind::Execute);
  EXPECT_NE(sql.sql.text.find("UPDATE t29 SET c29 = 0"), std::string::npos);
  const Operation& concurrent = up[up.size() - kOpsPerBlock + 4];
  EXPECT_EQ(concurrent.concurrently, Flag::True);
  EXPECT_TRUE(concurrent.in_autocommit_block);
  EXPECT_TRUE(concurrent.conditional);
  const Operation& rows = up[up.size() - kOpsPerBlock + 7];
  EXPECT_EQ(rows.kind, OpKind::BulkInsert);
  EXPECT_EQ(rows.table.text, "acc29");  // bound in the body, in another part
  const Operation& helper = up[up.size() - 1];
  EXPECT_EQ(helper.helper, "_backfill");
  EXPECT_EQ(helper.table.text, "roles");  // bound at module level
}

TEST(OperationsParts, RangesAreThoseOfTheWholeFileWithCrlfToo) {
  const std::string lf = big_migration(30);
  const std::string crlf = big_migration(30, "\r\n");
  const MigrationOperations a = read_operations(lf), b = read_operations(crlf);
  ASSERT_EQ(b, whole(crlf));
  ASSERT_EQ(a.upgrade.operations.size(), b.upgrade.operations.size());
  // The last block's add_column, found by its text: same line and column in both files,
  // the CRLF file's bytes one further per line.
  const std::string needle = "batch_op.add_column(sa.Column('c29'";
  const size_t at = lf.find(needle), at_crlf = crlf.find(needle);
  const Operation& op = a.upgrade.operations[290];
  const Operation& op_crlf = b.upgrade.operations[290];
  EXPECT_EQ(op.range.start_byte, at);
  EXPECT_EQ(op_crlf.range.start_byte, at_crlf);
  const uint32_t line = static_cast<uint32_t>(std::count(lf.begin(), lf.begin() + at, '\n'));
  EXPECT_EQ(op.range.start_line, line);
  EXPECT_EQ(op_crlf.range.start_line, line);
  EXPECT_EQ(op.range.start_column, 8u);
  EXPECT_EQ(op_crlf.range.start_column, 8u);
  EXPECT_EQ(op.range.end_line, line);
  EXPECT_EQ(crlf.substr(op_crlf.range.end_byte - 2, 2), "))");
  EXPECT_EQ(a.downgrade.name_range.start_line, b.downgrade.name_range.start_line);
}

std::vector<Finding> findings_of(const std::string& src, const std::string& dialect) {
  LintOptions options;
  options.dialect = dialect;
  std::vector<Finding> out;
  add_operation_findings("m.py", read_operations(src), options, out);
  return out;
}

const Finding* find_code(const std::vector<Finding>& found, const std::string& code,
                         uint32_t line) {
  for (const Finding& f : found)
    if (f.code == code && f.location.range.start_line == line) return &f;
  return nullptr;
}

TEST(OperationsParts, FindingsAndQuickFixesWorkOnALargeFileWithCrlf) {
  // Two unsafe calls at the end of a 50 KiB CRLF upgrade(), in its last part: the
  // findings point at them, and the quick fixes' edits, applied, make them go.
  for (const char* nl : {"\n", "\r\n"}) {
    std::string src = big_migration(30, nl);
    const std::string tail =
        std::string("    op.add_column('orders', sa.Column('n', sa.Integer(), ") +
        "nullable=False))" + nl + "    op.create_index('ix_orders_n', 'orders', ['n'])" + nl;
    const size_t at = src.find(std::string(nl) + nl + nl + "def downgrade()") + strlen(nl);
    src.insert(at, tail);
    ASSERT_GT(src.size(), 40u * 1024);
    const uint32_t line = static_cast<uint32_t>(std::count(src.begin(), src.begin() + at, '\n'));
    const std::vector<Finding> found = findings_of(src, "postgresql");
    const Finding* not_null = find_code(found, "not-null-without-default", line);
    const Finding* index = find_code(found, "index-not-concurrent", line + 1);
    ASSERT_NE(not_null, nullptr) << nl;
    ASSERT_NE(index, nullptr);
    EXPECT_EQ(not_null->location.range.start_byte, at + 4);
    EXPECT_EQ(not_null->location.range.start_column, 4u);
    const MigrationOperations ops = read_operations(src);
    const Operation& add = ops.upgrade.operations[ops.upgrade.operations.size() - 2];
    const Operation& create = ops.upgrade.operations.back();
    ASSERT_EQ(add.function, "add_column");
    const std::optional<EditPlan> fix = plan_server_default("m.py", src, add);
    ASSERT_TRUE(fix);
    std::string fixed = src;
    for (auto it = fix->edits.rbegin(); it != fix->edits.rend(); ++it)
      fixed.replace(it->start, it->end - it->start, it->new_text);
    EXPECT_EQ(find_code(findings_of(fixed, "postgresql"), "not-null-without-default", line),
              nullptr);
    ASSERT_EQ(create.function, "create_index");
    const std::optional<EditPlan> concurrent = plan_concurrent_index("m.py", src, create);
    ASSERT_TRUE(concurrent);
    fixed = src;
    for (auto it = concurrent->edits.rbegin(); it != concurrent->edits.rend(); ++it)
      fixed.replace(it->start, it->end - it->start, it->new_text);
    const std::vector<Finding> after = findings_of(fixed, "postgresql");
    for (const Finding& f : after) {
      EXPECT_NE(f.code, "concurrently-in-transaction");
      EXPECT_FALSE(f.code == "index-not-concurrent" && f.location.range.start_line >= line);
    }
    EXPECT_EQ(read_operations(fixed).upgrade.operations.back().concurrently, Flag::True);
  }
}

TEST(OperationsParts, EveryMigrationInTheRepositoryReadsTheSameInSmallParts) {
  // With parts of 64 to 2,000 bytes every test and example migration is cut into many
  // parts: what they read equals the whole tree's reading; what no part could hold is
  // listed, and the operations read are then the whole reading's less those.
  size_t files = 0, cut = 0, with_unread = 0;
  for (const char* dir : {"tests", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ALEMBIC_SOURCE_DIR) / dir)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".py") continue;
      if (entry.file_size() > ts::kMaxFullTree) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      const std::string text = buffer.str();
      if (text.find("def upgrade") == std::string::npos) continue;
      ++files;
      const MigrationOperations reference = whole(text);
      for (size_t limit : {64u, 300u, 2000u}) {
        const MigrationOperations mine = in_parts(text, limit);
        expect_bounded(parts::plan(text, limit), text, limit);
        if (!ts_node_has_error(ts_tree_root_node(ts::parse_full(text).get())))
          expect_parts_parse(parts::plan(text, limit), text);
        if (parts::plan(text, limit).parts.size() > 1) ++cut;
        const std::string where = entry.path().string() + " limit " + std::to_string(limit);
        if (mine.upgrade.complete() && mine.downgrade.complete()) {
          EXPECT_EQ(mine, reference) << where;
          continue;
        }
        ++with_unread;
        for (auto [f, ref] : {std::pair{&mine.upgrade, &reference.upgrade},
                              std::pair{&mine.downgrade, &reference.downgrade}}) {
          // A subsequence of the whole reading, missing only what lies in unread lines
          // (or in a helper whose lines are unread).
          size_t j = 0;
          for (const Operation& op : f->operations) {
            while (j < ref->operations.size() && !(ref->operations[j] == op)) ++j;
            EXPECT_LT(j, ref->operations.size()) << where << ": " << describe(op);
            ++j;
          }
          if (f->complete()) {
            EXPECT_EQ(f->operations, ref->operations) << where;
          }
        }
      }
    }
  }
  EXPECT_GT(files, 20u);
  EXPECT_GT(cut, 40u);
  EXPECT_GT(with_unread, 0u);  // 64 bytes leaves some statements out
}

TEST(OperationsParts, AOneClauseStatementOverTheLimitIsCutInside) {
  // One batch block of about 60 KiB: each part repeats its `with` line.
  std::string src = "from alembic import op\n\ndef upgrade():\n    if x:\n        pass\n";
  src += "    with op.batch_alter_table('big') as b:\n";
  for (int i = 0; i < 1200; ++i)
    src += "        b.add_column(sa.Column('column_number_" + std::to_string(i) +
           "', sa.Integer(), nullable=True))\n";
  src += "    op.drop_table('after')\n";
  ASSERT_GT(src.size(), 60u * 1024);
  const MigrationOperations ops = read_operations(src);
  EXPECT_TRUE(ops.upgrade.complete());
  ASSERT_EQ(ops.upgrade.operations.size(), 1201u);
  EXPECT_TRUE(ops.upgrade.operations[1199].batch);
  EXPECT_EQ(ops.upgrade.operations[1199].table.text, "big");
  EXPECT_EQ(ops.upgrade.operations[1199].column.text, "column_number_1199");
  EXPECT_EQ(ops.upgrade.operations[1200].table.text, "after");
  EXPECT_FALSE(ops.upgrade.operations[1200].batch);
  EXPECT_EQ(ops, whole(src));
  expect_bounded(parts::plan(src, ts::kMaxFullTree), src, ts::kMaxFullTree);
}

TEST(OperationsParts, ACompoundStatementWithClausesIsCutInEachClause) {
  // if/elif/else and try/except/else/finally, each clause about 20 KiB: every clause's
  // body is read in runs, a later clause's runs after the first clause's header and its
  // smallest statement, which is not read twice.
  auto body = [](const std::string& indent, const std::string& table, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
      out += indent + "op.add_column('" + table + "', sa.Column('c" + std::to_string(i) +
             "', sa.Integer()))\n";
    return out;
  };
  std::string src = "from alembic import op\n\ndef upgrade():\n    op.drop_table('before')\n";
  src += "    if dialect == 'sqlite':\n" + body("        ", "a", 300);
  src += "        x = 1\n";  // the smallest: the filler before elif and else
  src += "    elif dialect == 'postgresql':\n" + body("        ", "b", 300);
  src += "    else:\n        with op.batch_alter_table('c') as batch_op:\n" +
         body("            ", "c", 300);
  src += "    try:\n" + body("        ", "d", 300) + "    except ValueError:\n" +
         body("        ", "e", 300) + "    except (KeyError, OSError):\n" +
         body("        ", "f", 2) + "    else:\n" + body("        ", "g", 300) + "    finally:\n" +
         body("        ", "h", 300);
  src += "    for t in tables:\n" + body("        ", "i", 300) + "    else:\n" +
         body("        ", "j", 300);
  src += "    op.drop_table('after')\n";
  ASSERT_GT(src.size(), 3u * 32 * 1024);
  const MigrationOperations ops = read_operations(src);
  EXPECT_TRUE(ops.upgrade.complete()) << describe_unread(ops.upgrade.unread);
  EXPECT_EQ(ops.upgrade.operations.size(), 2u + 300 * 9 + 2);
  EXPECT_EQ(ops, whole(src));
  const parts::Plan plan = parts::plan(src, ts::kMaxFullTree);
  expect_bounded(plan, src, ts::kMaxFullTree);
  expect_parts_parse(plan, src);
  size_t skipping = 0;
  for (const parts::PlannedPart& p : plan.parts) skipping += !p.skip.empty();
  EXPECT_GE(skipping, 8u);
}

}  // namespace
