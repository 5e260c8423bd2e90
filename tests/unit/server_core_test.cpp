// The server's core (server/core.h) driven without JSON or an endpoint: a migrations
// directory on disk, plain calls, and a queue standing in for the event loop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "analysis/findings.h"
#include "server/core.h"

using namespace alembic;
using alembic::server::Core;
namespace fs = std::filesystem;

namespace {

std::string migration(const std::string& rev, const std::string& down) {
  return "revision = '" + rev +
         "'\ndown_revision = " + (down.empty() ? std::string("None") : "'" + down + "'") +
         "\nbranch_labels = None\ndepends_on = None\n\ndef upgrade():\n    pass\n";
}

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

size_t count(const std::vector<Finding>& findings, std::string_view code) {
  size_t n = 0;
  for (const Finding& f : findings) n += f.code == code;
  return n;
}

class CoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = fs::temp_directory_path() /
           ("alembic-lsp-core-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root);
    write(root / "alembic.ini", "[alembic]\nscript_location = migrations\n");
    write(versions() / "a.py", migration("a", ""));
    write(versions() / "b.py", migration("b", "a"));
    write(versions() / "c.py", migration("c", "a"));  // a second head
    core.workspace().set_roots({root});
    core.findings_changed = [this] { ++findings_events; };
  }
  void TearDown() override {
    core.shutdown();
    fs::remove_all(root);
  }
  fs::path versions() const { return root / "migrations" / "versions"; }

  // Runs the tasks posted to the "loop" until `done` holds (bounded: a bug fails the
  // test instead of hanging it; nothing asserts on timing).
  void run_until(const std::function<bool()>& done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!done() && std::chrono::steady_clock::now() < give_up) {
      std::function<void()> task;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!posted.empty()) {
          task = std::move(posted.front());
          posted.pop_front();
        }
      }
      if (task)
        task();
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_TRUE(done()) << "the core never got there";
  }

  fs::path root;
  std::mutex mutex;
  std::deque<std::function<void()>> posted;
  int findings_events = 0;
  Core core{[this](std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex);
    posted.push_back(std::move(task));
  }};
};

}  // namespace

TEST_F(CoreTest, IndexesInTheBackgroundAndInstallsOnTheOwnersThread) {
  std::string summary;
  size_t progress_total = 0;
  bool ended = false;
  Core::IndexEvents events;
  events.progress = [&](size_t, size_t total) { progress_total = total; };
  events.ended = [&] { ended = true; };
  events.installed = [&](const std::string& s) { summary = s; };
  core.index_in_background(std::move(events));
  EXPECT_FALSE(core.indexed());  // nothing is installed before the loop runs the result
  run_until([&] { return core.indexed(); });
  EXPECT_TRUE(ended);
  EXPECT_EQ(progress_total, 1u);
  EXPECT_EQ(summary, "indexed 1 environment(s), 3 migration file(s)");
  ASSERT_EQ(core.workspace().environments().size(), 1u);
  EXPECT_EQ(count(core.current_findings(), codes::kMultipleHeads), 2u);
}

TEST_F(CoreTest, ANewerIndexReplacesAStaleOne) {
  int installed = 0;
  bool ended = false;
  Core::IndexEvents events;
  events.ended = [&] { ended = true; };
  events.installed = [&](const std::string&) { ++installed; };
  core.index_in_background(std::move(events));
  write(versions() / "d.py", migration("d", "c"));
  core.reindex_now();  // newer: the background result must be dropped
  EXPECT_TRUE(core.indexed());
  run_until([&] { return ended; });
  EXPECT_EQ(installed, 0);
  ASSERT_EQ(core.workspace().environments().size(), 1u);
  EXPECT_EQ(core.workspace().environments()[0]->scripts.size(), 4u);
}

TEST_F(CoreTest, EditsChangeFindingsAndFireTheEvents) {
  core.reindex_now();
  int after = 0;
  core.after_change.push_back([&] { ++after; });
  EXPECT_EQ(count(core.current_findings(), codes::kMultipleHeads), 2u);

  // The editor re-parents c onto b: one head left.
  const std::string c = (versions() / "c.py").string();
  core.workspace().open_document(c, migration("c", "b"));
  core.changed();
  EXPECT_EQ(findings_events, 1);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(count(core.current_findings(), codes::kMultipleHeads), 0u);

  // A missing parent, then the project's settings drop the code.
  core.workspace().open_document(c, migration("c", "zzz"));
  core.changed();
  EXPECT_EQ(count(core.current_findings(), codes::kMissingRevision), 1u);
  Settings settings = parse_settings_keys("ignore = [\"missing-revision\"]\n", "editor");
  EXPECT_TRUE(core.set_editor_settings(std::move(settings)).empty());
  core.changed();
  EXPECT_EQ(count(core.current_findings(), codes::kMissingRevision), 0u);

  // Unknown keys are the editor's problem, returned rather than shown.
  std::vector<Finding> problems =
      core.set_editor_settings(parse_settings_keys("expected_heads = 2\n", "editor"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, kConfigWarningCode);
}

// The operation lint of the default lint = "open" looks at the open migrations only: a
// keystroke in a 100,000-migration project must not walk every file (it did: 143 ms).
TEST_F(CoreTest, OperationLintLooksAtTheOpenMigrationsOnly) {
  for (int i = 0; i < 50; ++i)
    write(versions() / ("x" + std::to_string(i) + ".py"),
          migration("x" + std::to_string(i), i == 0 ? "c" : "x" + std::to_string(i - 1)));
  core.reindex_now();
  const std::string b = (versions() / "b.py").string();
  core.workspace().open_document(b, migration("b", "a") +
                                        "\ndef upgrade():\n    op.add_column('t', sa.Column('x', "
                                        "sa.Integer(), nullable=False))\n");
  core.changed();
  EXPECT_EQ(count(core.current_findings(), rule_of(Code::NotNullWithoutDefault).code), 1u);
  EXPECT_EQ(core.operation_lint().looked_at(), 1u);

  Settings all;
  all.lint = "all";
  EXPECT_TRUE(core.set_editor_settings(std::move(all)).empty());
  EXPECT_EQ(count(core.current_findings(), rule_of(Code::NotNullWithoutDefault).code), 1u);
  EXPECT_EQ(core.operation_lint().looked_at(), 53u);
}
