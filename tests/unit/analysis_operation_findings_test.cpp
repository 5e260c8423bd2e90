// Unsafe-operation findings (analysis/operation_findings.h) and branch-conflict
// (analysis/branch_conflicts.h): each fires on the unsafe form and not on the safe one.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "analysis/branch_conflicts.h"
#include "analysis/findings.h"
#include "analysis/operation_findings.h"
#include "analysis/parser.h"

using namespace alembic;

namespace {

std::string migration(const std::string& upgrade, const std::string& downgrade) {
  return "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n" + upgrade +
         "\n\n\ndef downgrade():\n" + downgrade + "\n";
}

std::vector<Finding> lint(const std::string& source, const std::string& dialect = "") {
  std::vector<Finding> out;
  add_operation_findings("m.py", read_operations(source), LintOptions{dialect}, out);
  return out;
}

std::vector<std::string> codes(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.code);
  return out;
}

const std::string kDropDiscount = "    op.drop_column('orders', 'discount')";

TEST(OperationFindings, NotNullWithoutDefault) {
  auto unsafe = lint(
      migration("    op.add_column('orders', sa.Column('discount', sa.Integer(), nullable=False))",
                kDropDiscount));
  ASSERT_EQ(codes(unsafe), std::vector<std::string>{"not-null-without-default"});
  EXPECT_EQ(unsafe[0].message,
            "Column orders.discount is added NOT NULL without a server_default.");
  EXPECT_EQ(unsafe[0].severity, Severity::Warning);
  EXPECT_EQ(unsafe[0].location.range.start_line, 5u);
  // Safe: a server default, a nullable column, or a table created in the same migration.
  EXPECT_TRUE(lint(migration("    op.add_column('orders', sa.Column('discount', sa.Integer(), "
                             "nullable=False, server_default='0'))",
                             kDropDiscount))
                  .empty());
  EXPECT_TRUE(lint(migration("    op.add_column('orders', sa.Column('discount', sa.Integer()))",
                             kDropDiscount))
                  .empty());
  EXPECT_TRUE(lint(migration("    op.create_table('orders', sa.Column('id', sa.Integer()))\n"
                             "    op.add_column('orders', sa.Column('d', sa.Integer(), "
                             "nullable=False))",
                             "    op.drop_table('orders')"))
                  .empty());
  // server_default=None is no default.
  EXPECT_EQ(codes(lint(migration("    op.add_column('orders', sa.Column('discount', sa.Integer(), "
                                 "nullable=False, server_default=None))",
                                 kDropDiscount))),
            std::vector<std::string>{"not-null-without-default"});
}

TEST(OperationFindings, IndexNotConcurrentOnlyOnPostgres) {
  const std::string plain = migration("    op.create_index('ix_o', 'orders', ['id'])",
                                      "    op.drop_index('ix_o', table_name='orders')");
  EXPECT_EQ(codes(lint(plain, "postgresql")), std::vector<std::string>{"index-not-concurrent"});
  EXPECT_TRUE(lint(plain, "sqlite").empty());
  EXPECT_TRUE(lint(plain, "").empty());
  const std::string safe = migration(
      "    with op.get_context().autocommit_block():\n"
      "        op.create_index('ix_o', 'orders', ['id'], postgresql_concurrently=True)",
      "    op.drop_index('ix_o', table_name='orders')");
  EXPECT_TRUE(lint(safe, "postgresql").empty());
}

TEST(OperationFindings, ConcurrentlyOutsideAutocommitBlock) {
  const std::string unsafe =
      migration("    op.create_index('ix_o', 'orders', ['id'], postgresql_concurrently=True)",
                "    op.drop_index('ix_o', table_name='orders', postgresql_concurrently=True)");
  EXPECT_EQ(
      codes(lint(unsafe, "postgresql")),
      (std::vector<std::string>{"concurrently-in-transaction", "concurrently-in-transaction"}));
  EXPECT_EQ(lint(unsafe, "")[0].severity, Severity::Error);
  EXPECT_TRUE(lint(unsafe, "mysql").empty());  // the option means nothing there
  const std::string safe = migration(
      "    with op.get_context().autocommit_block():\n"
      "        op.create_index('ix_o', 'orders', ['id'], postgresql_concurrently=True)",
      "    with op.get_context().autocommit_block():\n"
      "        op.drop_index('ix_o', table_name='orders', postgresql_concurrently=True)");
  EXPECT_TRUE(lint(safe, "postgresql").empty());
}

TEST(OperationFindings, ColumnTypeChange) {
  const std::string back = "    op.alter_column('orders', 'note', type_=sa.String(50))";
  EXPECT_EQ(codes(lint(migration("    op.alter_column('orders', 'note', type_=sa.Text())", back))),
            (std::vector<std::string>{"column-type-change", "column-type-change"}));
  EXPECT_TRUE(lint(migration("    op.alter_column('orders', 'note', nullable=True)",
                             "    op.alter_column('orders', 'note', nullable=False)"))
                  .empty());
  // existing_type is not a change.
  EXPECT_TRUE(lint(migration("    op.alter_column('orders', 'note', existing_type=sa.Text(), "
                             "nullable=True)",
                             "    op.alter_column('orders', 'note', nullable=False)"))
                  .empty());
}

TEST(OperationFindings, RenamesAndDropsAreInformation) {
  auto renamed =
      lint(migration("    op.rename_table('orders', 'purchases')\n"
                     "    op.alter_column('purchases', 'a', new_column_name='b')",
                     "    op.alter_column('purchases', 'b', new_column_name='a')\n"
                     "    op.rename_table('purchases', 'orders')"));
  ASSERT_EQ(codes(renamed),
            (std::vector<std::string>{"rename-table-or-column", "rename-table-or-column"}));
  EXPECT_EQ(renamed[0].severity, Severity::Information);
  EXPECT_EQ(renamed[0].message, "Table orders is renamed to purchases.");
  auto dropped = lint(migration("    op.drop_column('orders', 'legacy')\n    op.drop_table('old')",
                                "    op.create_table('old', sa.Column('id', sa.Integer()))\n"
                                "    op.add_column('orders', sa.Column('legacy', sa.Text()))"));
  ASSERT_EQ(codes(dropped),
            (std::vector<std::string>{"drop-table-or-column", "drop-table-or-column"}));
  EXPECT_EQ(dropped[0].message, "Column orders.legacy is dropped.");
  // Dropping in downgrade() is the undo of a create: not reported.
  EXPECT_TRUE(lint(migration("    op.create_table('t', sa.Column('id', sa.Integer()))",
                             "    op.drop_table('t')"))
                  .empty());
}

TEST(OperationFindings, IrreversibleDowngrade) {
  const std::string up = "    op.add_column('orders', sa.Column('note', sa.Text()))";
  auto empty = lint(migration(up, "    pass"));
  ASSERT_EQ(codes(empty), std::vector<std::string>{"irreversible-downgrade"});
  EXPECT_EQ(empty[0].severity, Severity::Warning);
  EXPECT_EQ(empty[0].message, "downgrade() is empty while upgrade() changes the schema.");
  EXPECT_EQ(empty[0].location.range.start_line, 8u);  // `def downgrade` names it
  auto raises = lint(migration(up, "    raise NotImplementedError('irreversible')"));
  ASSERT_EQ(codes(raises), std::vector<std::string>{"irreversible-downgrade"});
  EXPECT_EQ(raises[0].severity, Severity::Information);
  auto missing = lint("def upgrade():\n" + up + "\n");
  ASSERT_EQ(codes(missing), std::vector<std::string>{"irreversible-downgrade"});
  // Safe: downgrade undoes it; or upgrade changes no schema (data only).
  EXPECT_TRUE(lint(migration(up, "    op.drop_column('orders', 'note')")).empty());
  EXPECT_TRUE(lint(migration("    op.execute('UPDATE orders SET note = 1')", "    pass")).empty());
}

TEST(OperationFindings, DowngradeNotInverse) {
  const std::string up =
      "    op.add_column('orders', sa.Column('note', sa.Text()))\n"
      "    op.add_column('orders', sa.Column('memo', sa.Text()))\n"
      "    op.create_index('ix_memo', 'orders', ['memo'])";
  auto missing = lint(migration(up, "    op.drop_column('orders', 'note')"));
  ASSERT_EQ(codes(missing),
            (std::vector<std::string>{"downgrade-not-inverse", "downgrade-not-inverse"}));
  EXPECT_EQ(missing[0].message, "downgrade() never drops column orders.memo.");
  EXPECT_EQ(missing[1].message, "downgrade() never drops index ix_memo.");
  ASSERT_EQ(missing[0].related.size(), 1u);
  EXPECT_TRUE(lint(migration(up,
                             "    op.drop_index('ix_memo', 'orders')\n"
                             "    op.drop_column('orders', 'memo')\n"
                             "    op.drop_column('orders', 'note')"))
                  .empty());
  // Dropping the table undoes everything on it; SQL in downgrade() may undo anything.
  EXPECT_TRUE(lint(migration(up, "    op.drop_table('orders')")).empty());
  EXPECT_TRUE(lint(migration(up, "    op.execute('ALTER TABLE orders DROP memo')")).empty());
  // Unknown names are never guessed at.
  EXPECT_TRUE(lint(migration("    op.add_column(T, sa.Column('x', sa.Text()))",
                             "    op.drop_column('orders', 'y')"))
                  .empty());
}

TEST(OperationFindings, DialectOfUrl) {
  EXPECT_EQ(dialect_of_url("postgresql+psycopg2://u:p@h/db"), "postgresql");
  EXPECT_EQ(dialect_of_url("postgres://h/db"), "postgresql");
  EXPECT_EQ(dialect_of_url(" sqlite:///app.db"), "sqlite");
  EXPECT_EQ(dialect_of_url("MySQL+pymysql://h/db"), "mysql");
  EXPECT_EQ(dialect_of_url("driver://user:pass@localhost/dbname"), "");
  EXPECT_EQ(dialect_of_url("%(DB_URL)s"), "");
  EXPECT_EQ(dialect_of_url("${DATABASE_URL}"), "");
  EXPECT_EQ(dialect_of_url(""), "");
}

// --- branch-conflict -----------------------------------------------------------------

struct History {
  std::vector<Script> scripts;
  std::map<std::string, std::string> sources;
  void add(const std::string& rev, const std::string& down, const std::string& upgrade) {
    const std::string path = rev + ".py";
    std::string src = "revision = '" + rev + "'\ndown_revision = " + down +
                      "\nfrom alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n" +
                      upgrade + "\n";
    scripts.push_back({path, parse_migration(src)});
    sources[path] = src;
  }
  std::vector<Finding> conflicts() const {
    GraphAnalysis graph = analyze(scripts);
    std::vector<Finding> out;
    add_branch_conflicts(
        graph, scripts,
        [&](const std::string& path) -> std::optional<std::string> {
          auto it = sources.find(path);
          if (it == sources.end()) return std::nullopt;
          return it->second;
        },
        out);
    return out;
  }
};

TEST(BranchConflicts, TwoBranchesChangingOneTable) {
  History h;
  h.add("a1", "None", "    op.create_table('orders', sa.Column('id', sa.Integer()))");
  h.add("b1", "'a1'", "    op.add_column('orders', sa.Column('discount', sa.Integer()))");
  h.add("b2", "'b1'", "    op.create_table('users', sa.Column('id', sa.Integer()))");
  h.add("c1", "'a1'",
        "    op.alter_column('orders', 'discount', type_=sa.Numeric())\n"
        "    op.create_table('tags', sa.Column('id', sa.Integer()))");
  std::vector<Finding> found = h.conflicts();
  ASSERT_EQ(found.size(), 1u);
  const Finding& f = found[0];
  EXPECT_EQ(f.code, "branch-conflict");
  EXPECT_EQ(f.message, "2 branches both alter table orders (heads b2 and c1).");
  EXPECT_NE(f.detail.find("orders.discount"), std::string::npos) << f.detail;
  EXPECT_EQ(f.revisions, (std::vector<std::string>{"b2", "c1"}));
  EXPECT_EQ(f.location.path, "c1.py");
  ASSERT_EQ(f.related.size(), 1u);
  EXPECT_EQ(f.related[0].location.path, "b1.py");
  EXPECT_NE(f.related[0].message.find("adds column orders.discount"), std::string::npos);
}

TEST(BranchConflicts, NoneWhenBranchesTouchOtherTablesOrOneHead) {
  History h;
  h.add("a1", "None", "    op.create_table('orders', sa.Column('id', sa.Integer()))");
  h.add("b1", "'a1'", "    op.create_table('users', sa.Column('id', sa.Integer()))");
  h.add("c1", "'a1'", "    op.create_table('tags', sa.Column('id', sa.Integer()))");
  EXPECT_TRUE(h.conflicts().empty());  // the shared ancestor's table is not the branches'
  h.add("m1", "('b1', 'c1')", "    pass");
  EXPECT_TRUE(h.conflicts().empty());
}

TEST(BranchConflicts, TwoCopiesOfOneIdAreNotAConflict) {
  History h;
  h.add("a1", "None", "    op.create_table('orders', sa.Column('id', sa.Integer()))");
  h.add("b1", "'a1'", "    op.add_column('orders', sa.Column('x', sa.Integer()))");
  h.scripts.push_back({"b1_copy.py", h.scripts.back().parsed});
  h.sources["b1_copy.py"] = h.sources["b1.py"];
  EXPECT_TRUE(h.conflicts().empty());
}

TEST(BranchConflicts, SeparateHistoriesAreNotConflicts) {
  History h;
  h.add("a1", "None", "    op.create_table('orders', sa.Column('id', sa.Integer()))");
  h.add("x1", "None", "    op.add_column('orders', sa.Column('x', sa.Integer()))");
  EXPECT_TRUE(h.conflicts().empty());
}

}  // namespace
