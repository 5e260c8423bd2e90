// The workspace keeps each script's own findings (Script::own_findings) between edits:
// whatever the edits, they match the script's values and its graph equals a fresh
// analyze() of its scripts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/findings.h"
#include "analysis/settings.h"
#include "file_test_support.h"
#include "graph_test_support.h"
#include "server/workspace.h"

using namespace alembic;
using alembic::server::Workspace;
namespace fs = std::filesystem;

namespace {

using graph_test::migration;

using file_test::write;

class WorkspaceScriptFindings : public ::testing::Test {
 protected:
  void SetUp() override {
    root = file_test::fresh_test_dir("alembic-lsp-wsf-");
    write(root / "alembic.ini", "[alembic]\nscript_location = migrations\n");
    write(versions() / "a.py", migration("a", "", "a"));
    write(versions() / "b.py", migration("b", "a", "b"));
    write(versions() / "c.py", migration("c", "b", "c"));
    ws.set_roots({root});
    ws.reindex();
    ASSERT_EQ(ws.environments().size(), 1u);
    ASSERT_EQ(ws.environments()[0]->scripts.size(), 3u);
  }
  void TearDown() override { fs::remove_all(root); }
  fs::path versions() const { return root / "migrations" / "versions"; }
  const server::EnvironmentState& env() const { return *ws.environments()[0]; }
  // A fresh analysis of the workspace's scripts; also checks that every script's kept
  // own findings are those of its current values.
  std::vector<Finding> fresh() const {
    for (const Script& s : env().scripts) {
      if (!s.own_findings) continue;
      std::vector<Finding> own;
      add_script_findings(s, own);
      EXPECT_EQ(*s.own_findings, own) << s.path;
    }
    return analyze(env().scripts,
                   analysis_options(env().settings, env().environment, {&env().environment}))
        .findings;
  }
  size_t count(const std::string& code) const {
    size_t n = 0;
    for (const Finding& f : env().graph.findings) n += f.code == code;
    return n;
  }

  fs::path root;
  Workspace ws;
};

}  // namespace

TEST_F(WorkspaceScriptFindings, AnEditThatChangesAValueChangesTheFindings) {
  const fs::path b = versions() / "b.py";
  ws.open_document(b, migration("b", "a", "b"));
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 0u);
  EXPECT_EQ(env().graph.findings, fresh());

  ws.replace_document(b, migration("b", "a", "zz"));  // header says another id
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 1u);
  EXPECT_EQ(env().graph.findings, fresh());

  ws.replace_document(b, migration("b", "", "b"));  // header fixed, b becomes a base
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 0u);
  EXPECT_EQ(env().graph.bases, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(env().graph.findings, fresh());
}

TEST_F(WorkspaceScriptFindings, EditsKeepingTheValuesGiveTheFreshFindings) {
  const fs::path c = versions() / "c.py";
  ws.open_document(c, migration("c", "b", "zz"));
  const std::vector<Finding> before = env().graph.findings;
  EXPECT_EQ(before, fresh());
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 1u);
  // Typing in upgrade()'s body: no parsed value changes.
  std::string text = *ws.document_text(c);
  uint32_t at = static_cast<uint32_t>(text.find("pass"));
  ws.edit_document(c, at, at, "x = 1\n    ");
  EXPECT_EQ(env().graph.findings, before);
  EXPECT_EQ(env().graph.findings, fresh());
}

TEST_F(WorkspaceScriptFindings, NewAndDeletedFilesKeepTheCacheInStep) {
  const fs::path d = versions() / "d.py";
  ws.open_document(d, migration("d", "c", "zz"));  // inserted, with its own finding
  EXPECT_EQ(env().scripts.size(), 4u);
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 1u);
  EXPECT_EQ(env().graph.findings, fresh());
  ws.close_document(d);  // never saved: it goes
  EXPECT_EQ(env().scripts.size(), 3u);
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 0u);
  EXPECT_EQ(env().graph.findings, fresh());

  write(versions() / "b.py", migration("b", "a", "zz"));
  ws.file_changed_on_disk(versions() / "b.py");
  EXPECT_EQ(count(std::string(codes::kHeaderMismatch)), 1u);
  fs::remove(versions() / "a.py");
  ws.file_deleted_on_disk(versions() / "a.py");
  EXPECT_EQ(env().scripts.size(), 2u);
  EXPECT_EQ(env().graph.findings, fresh());
  ws.replace_document(versions() / "c.py", migration("c", "", "c"));
  EXPECT_EQ(env().graph.findings, fresh());
}
