// branch-conflict in the editor (server/operation_lint.h): shown when an environment has
// several heads whose branches change the same table, with both migrations as related
// locations; gone after a merge; computed from the branches' files only, and again only
// when the heads or those files change (an edit elsewhere reads nothing).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "analysis/branch_conflicts.h"
#include "analysis/discovery.h"
#include "server/operation_lint.h"
#include "server/workspace.h"

using namespace alembic;
using alembic::server::OperationLint;
using alembic::server::Workspace;
namespace fs = std::filesystem;

namespace {

std::string migration(const std::string& rev, const std::string& down, const std::string& body) {
  return "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '" + rev +
         "'\ndown_revision = " + down +
         "\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n" + body +
         "\n\n\ndef downgrade():\n    pass\n";
}

const char* kAddDiscount =
    "    op.add_column('orders', sa.Column('discount', sa.Integer(), nullable=True))";
const char* kAddNote = "    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))";

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class BranchConflictEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("alembic-lsp-branch-conflict-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    write(root / "alembic.ini", "[alembic]\nscript_location = migrations\n");
    write(path("a"), migration("a000", "None",
                               "    op.create_table('orders', sa.Column('id', sa.Integer()))"));
    write(path("b"), migration("b000", "'a000'", kAddDiscount));
    write(path("c"), migration("c000", "'a000'", kAddNote));
    // Before the fork: never read for branch-conflict.
    workspace.set_roots({root});
    workspace.reindex();
  }
  void TearDown() override { fs::remove_all(root); }

  fs::path path(const std::string& name) const {
    return root / "migrations" / "versions" / (name + ".py");
  }

  std::vector<Finding> conflicts() {
    std::vector<Finding> all, out;
    for (const auto& env : workspace.environments()) lint.add(workspace, *env, all);
    for (Finding& f : all)
      if (f.code == "branch-conflict") out.push_back(std::move(f));
    return out;
  }

  fs::path root;
  Workspace workspace;
  OperationLint lint;
};

}  // namespace

TEST_F(BranchConflictEditorTest, ShownWithBothMigrationsAsCheckReportsIt) {
  std::vector<Finding> found = conflicts();
  ASSERT_EQ(found.size(), 1u);
  const Finding& f = found[0];
  EXPECT_EQ(f.message, "2 branches both alter table orders (heads b000 and c000).");
  EXPECT_EQ(f.revisions, (std::vector<std::string>{"b000", "c000"}));
  ASSERT_EQ(f.related.size(), 1u);
  // One migration at the finding, the other as related information.
  std::vector<std::string> places = {fs::path(f.location.path).filename().string(),
                                     fs::path(f.related[0].location.path).filename().string()};
  std::sort(places.begin(), places.end());
  EXPECT_EQ(places, (std::vector<std::string>{"b.py", "c.py"}));

  // What `check --lint all` computes from the same graph and files.
  const auto& env = *workspace.environments()[0];
  std::vector<Finding> expected;
  add_branch_conflicts(
      env.graph, env.scripts,
      [](const std::string& p) -> std::optional<std::string> { return read_file_bytes(p); },
      expected);
  EXPECT_EQ(found, expected);
}

TEST_F(BranchConflictEditorTest, GoneAfterAMergeAndWhenTheTablesDiffer) {
  ASSERT_EQ(conflicts().size(), 1u);
  write(path("m"), migration("m000", "('b000', 'c000')", "    pass"));
  workspace.file_changed_on_disk(path("m"));
  EXPECT_TRUE(conflicts().empty());
  fs::remove(path("m"));
  workspace.file_deleted_on_disk(path("m"));
  ASSERT_EQ(conflicts().size(), 1u);
  // The editor's text, not the disk's: one branch now changes another table.
  workspace.open_document(
      path("c"),
      migration("c000", "'a000'", "    op.create_table('tags', sa.Column('id', sa.Integer()))"));
  EXPECT_TRUE(conflicts().empty());
}

TEST_F(BranchConflictEditorTest, ReadAgainOnlyWhenTheBranchesOrTheirFilesChange) {
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.branch_conflict_computations(), 1u);
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.branch_conflict_computations(), 1u);  // nothing changed: nothing read

  // An edit to the migration before the fork (open, as typing in it): not on a branch.
  const std::string base =
      migration("a000", "None", "    op.create_table('orders', sa.Column('id', sa.Integer()))");
  workspace.open_document(path("a"), base);
  workspace.edit_document(path("a"), static_cast<uint32_t>(base.size()),
                          static_cast<uint32_t>(base.size()), "# a comment\n");
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.branch_conflict_computations(), 1u);

  // An edit on a branch computes them again.
  const std::string c = migration("c000", "'a000'", kAddNote);
  workspace.open_document(path("c"), c);
  workspace.edit_document(path("c"), static_cast<uint32_t>(c.size()),
                          static_cast<uint32_t>(c.size()), "# a comment\n");
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.branch_conflict_computations(), 2u);

  // The branches' files are all it read.
  const auto& env = *workspace.environments()[0];
  std::vector<std::string> read;
  for (size_t s : branch_conflict_scripts(env.graph))
    read.push_back(fs::path(env.scripts[s].path).filename().string());
  std::sort(read.begin(), read.end());
  EXPECT_EQ(read, (std::vector<std::string>{"b.py", "c.py"}));
}

TEST_F(BranchConflictEditorTest, NoneWithLintOff) {
  write(root / "pyproject.toml", "[tool.alembic-lsp]\nlint = \"off\"\n");
  workspace.reindex();
  EXPECT_TRUE(conflicts().empty());
}
