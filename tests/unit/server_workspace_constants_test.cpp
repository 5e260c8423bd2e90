// The server re-reads the migrations whose values come from a constants module when
// that module changes: typed in the editor, saved, closed, changed or deleted on disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "file_test_support.h"
#include "server/workspace.h"

using namespace alembic;
using alembic::server::Workspace;
namespace fs = std::filesystem;

namespace {

using file_test::write;

class WorkspaceConstants : public ::testing::Test {
 protected:
  void SetUp() override {
    root = file_test::fresh_test_dir("alembic-lsp-wsc-");
    write(root / "setup.cfg", "[metadata]\n");
    write(root / "alembic.ini", "[alembic]\nscript_location = x/migrations\n");
    write(cli(), "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'contract'\n");
    const fs::path v = root / "x/migrations/versions";
    write(v / "start.py", "revision = 'start'\ndown_revision = None\n");
    write(v / "c1.py",
          "from x.db import cli\nrevision = 'c1'\ndown_revision = 'start'\n"
          "branch_labels = (cli.CONTRACT_BRANCH,)\n");
    write(v / "e1.py",
          "from x.db import cli\nrevision = 'e1'\ndown_revision = 'start'\n"
          "branch_labels = (cli.EXPAND_BRANCH,)\n");
    ws.set_roots({root});
    ws.reindex();
    ASSERT_EQ(ws.environments().size(), 1u);
  }
  void TearDown() override { fs::remove_all(root); }

  fs::path cli() const { return root / "x/db/cli.py"; }
  std::string c1() const { return server::normal_path(root / "x/migrations/versions/c1.py"); }
  std::vector<std::string> labels_of_c1() const {
    const auto& env = *ws.environments()[0];
    long i = env.script_index(c1());
    EXPECT_GE(i, 0);
    std::vector<std::string> out;
    if (i < 0) return out;
    const AssignedValue& v = env.scripts[static_cast<size_t>(i)].parsed.branch_labels;
    for (const StringValue& s : v.strings) out.push_back(s.text);
    for (const UnresolvedValue& u : v.unresolved) out.push_back("?" + u.expression);
    return out;
  }
  size_t count(const std::string& code) const {
    size_t n = 0;
    for (const Finding& f : ws.environments()[0]->graph.findings) n += f.code == code;
    return n;
  }

  fs::path root;
  Workspace ws;
};

TEST_F(WorkspaceConstants, ColdIndexResolves) {
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"contract"});
  EXPECT_EQ(count("unresolved-value"), 0u);
}

TEST_F(WorkspaceConstants, EditingTheOpenModuleReResolves) {
  const std::string text = "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'contract'\n";
  ws.open_document(cli(), text);
  const uint32_t at = static_cast<uint32_t>(text.find("'contract'"));
  ws.edit_document(cli(), at, at + 10, "'expand'");  // now both heads say expand
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"expand"});
  EXPECT_EQ(count("branch-label-conflict"), 1u);
  ws.replace_document(cli(), "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = compute()\n");
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"?cli.CONTRACT_BRANCH"});
  EXPECT_EQ(count("unresolved-value"), 1u);
  ws.close_document(cli());  // the disk's text comes back
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"contract"});
  EXPECT_EQ(count("unresolved-value"), 0u);
}

TEST_F(WorkspaceConstants, DiskChangesReResolve) {
  write(cli(), "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'shrink'\n");
  ws.file_changed_on_disk(cli());
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"shrink"});
  fs::remove(cli());
  ws.file_deleted_on_disk(cli());
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"?cli.CONTRACT_BRANCH"});
}

TEST_F(WorkspaceConstants, OpenMigrationUsesTheOpenModule) {
  ws.open_document(cli(), "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'typed'\n");
  ws.open_document(c1(),
                   "from x.db import cli\nrevision = 'c1'\ndown_revision = 'start'\n"
                   "branch_labels = cli.CONTRACT_BRANCH\n");
  EXPECT_EQ(labels_of_c1(), std::vector<std::string>{"typed"});
}

}  // namespace
