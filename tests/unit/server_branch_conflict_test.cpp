// branch-conflict in the editor (server/branch_conflict_lint.h): shown when an environment
// has several heads whose branches change the same table, with both migrations as related
// locations, as `check --lint all` reports it; gone after a merge; computed when the editor
// is quiet, from the branches' files only, each read again only when it changed (an edit
// elsewhere reads nothing); a refresh stops when a message waits and keeps what it read.
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
#include "server/branch_conflict_lint.h"
#include "server/workspace.h"

using namespace alembic;
using alembic::server::BranchConflictLint;
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

  // What an edit shows: the findings of the last refresh whose heads are still heads.
  std::vector<Finding> shown() {
    std::vector<Finding> out;
    for (const auto& env : workspace.environments()) lint.add(*env, out);
    return out;
  }
  // What the editor shows once it was quiet long enough.
  std::vector<Finding> conflicts() {
    lint.refresh(workspace, [] { return false; });
    return shown();
  }

  fs::path root;
  Workspace workspace;
  BranchConflictLint lint;
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
  EXPECT_EQ(lint.files_read(), 2u);  // b and c: the branches' files, not a
  EXPECT_EQ(lint.walks(), 1u);
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.files_read(), 2u);  // nothing changed: nothing read, nothing walked
  EXPECT_EQ(lint.walks(), 1u);

  // An edit to the migration before the fork (open, as typing in it): not on a branch.
  const std::string base =
      migration("a000", "None", "    op.create_table('orders', sa.Column('id', sa.Integer()))");
  workspace.open_document(path("a"), base);
  workspace.edit_document(path("a"), static_cast<uint32_t>(base.size()),
                          static_cast<uint32_t>(base.size()), "# a comment\n");
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.files_read(), 2u);

  // An edit on a branch reads that file again, and only it.
  const std::string c = migration("c000", "'a000'", kAddNote);
  workspace.open_document(path("c"), c);
  workspace.edit_document(path("c"), static_cast<uint32_t>(c.size()),
                          static_cast<uint32_t>(c.size()), "# a comment\n");
  ASSERT_EQ(conflicts().size(), 1u);
  EXPECT_EQ(lint.files_read(), 3u);
}

TEST_F(BranchConflictEditorTest, AnEditShowsTheLastOnesUntilTheNextRefresh) {
  ASSERT_EQ(conflicts().size(), 1u);
  // c moves to another table: until the editor is quiet, the last findings stay.
  const std::string tags =
      migration("c000", "'a000'", "    op.create_table('tags', sa.Column('id', sa.Integer()))");
  workspace.open_document(path("c"), tags);
  EXPECT_EQ(shown().size(), 1u);
  EXPECT_TRUE(conflicts().empty());
  // A merge: one head. Gone at once, before any refresh (the heads are no longer heads).
  workspace.open_document(path("c"), migration("c000", "'a000'", kAddNote));
  ASSERT_EQ(conflicts().size(), 1u);
  write(path("m"), migration("m000", "('b000', 'c000')", "    pass"));
  workspace.file_changed_on_disk(path("m"));
  EXPECT_TRUE(shown().empty());
}

TEST_F(BranchConflictEditorTest, ARefreshStopsWhenAMessageWaitsAndGoesOnNextTime) {
  int asked = 0;
  // A message waits from the start: nothing read, nothing shown yet.
  EXPECT_FALSE(lint.refresh(workspace, [&] { return ++asked > 0; }));
  EXPECT_EQ(lint.files_read(), 0u);
  EXPECT_TRUE(shown().empty());
  // One file read, then a message: the one read is kept, nothing shown yet.
  asked = 0;
  EXPECT_FALSE(lint.refresh(workspace, [&] { return ++asked > 1; }));
  EXPECT_EQ(lint.files_read(), 1u);
  EXPECT_TRUE(shown().empty());
  // Quiet at last: only the other file is read, and the finding is shown.
  EXPECT_TRUE(lint.refresh(workspace, [] { return false; }));
  EXPECT_EQ(lint.files_read(), 2u);
  EXPECT_EQ(shown().size(), 1u);
  // Nothing changed since: a refresh changes nothing (nothing to publish again).
  EXPECT_FALSE(lint.refresh(workspace, [] { return false; }));
}

TEST_F(BranchConflictEditorTest, NoneWithLintOff) {
  write(root / "pyproject.toml", "[tool.alembic-lsp]\nlint = \"off\"\n");
  workspace.reindex();
  EXPECT_TRUE(conflicts().empty());
}
