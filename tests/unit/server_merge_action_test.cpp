// Writing the merge file without ever replacing one, and the WorkspaceEdit shapes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/features/merge_action.h"

using namespace alembic;
using namespace alembic::server;
namespace fs = std::filesystem;

namespace {

class MergeFileWriting : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("merge-action-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  size_t entries() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
  }

  fs::path dir;
};

TEST_F(MergeFileWriting, WritesANewFileWhole) {
  const fs::path target = dir / "abc_merge_heads.py";
  write_new_file(target, "revision = 'abc'\n");
  EXPECT_EQ(read(target), "revision = 'abc'\n");
  EXPECT_EQ(entries(), 1u);  // no temporary file left behind
}

TEST_F(MergeFileWriting, NeverReplacesAnExistingFile) {
  const fs::path target = dir / "abc_merge_heads.py";
  std::ofstream(target) << "precious";
  EXPECT_THROW(write_new_file(target, "new"), std::runtime_error);
  EXPECT_EQ(read(target), "precious");
  EXPECT_EQ(entries(), 1u);
  EXPECT_THROW(reserve_new_file(target), std::runtime_error);
  EXPECT_EQ(read(target), "precious");
}

TEST_F(MergeFileWriting, ReservesAnEmptyFileAndCreatesParents) {
  const fs::path target = dir / "sub" / "x.py";
  reserve_new_file(target);
  EXPECT_TRUE(fs::exists(target));
  EXPECT_EQ(fs::file_size(target), 0u);
}

TEST(MergeEdits, CreateThenInsert) {
  MergePlan plan;
  plan.revision = "abc";
  plan.parents = {"a", "b", "c"};
  plan.path = "/tmp/p q/abc_merge_heads.py";
  plan.content = "text\n";
  EXPECT_EQ(merge_title(plan), "Merge 3 heads into a new migration");
  const json edit = create_file_edit(plan);
  const json& changes = edit.at("documentChanges");
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].at("kind"), "create");
  EXPECT_EQ(changes[0].at("uri"), "file:///tmp/p%20q/abc_merge_heads.py");
  EXPECT_EQ(changes[0].at("options"), (json{{"overwrite", false}, {"ignoreIfExists", false}}));
  EXPECT_TRUE(changes[1].at("textDocument").at("version").is_null());
  EXPECT_EQ(changes[1].at("edits")[0].at("newText"), "text\n");

  const json fill = fill_file_edit(plan, false);
  EXPECT_EQ(fill.at("changes").at("file:///tmp/p%20q/abc_merge_heads.py")[0].at("newText"),
            "text\n");
  EXPECT_EQ(json(fill_file_edit(plan, true)).at("documentChanges").size(), 1u);
}

}  // namespace
