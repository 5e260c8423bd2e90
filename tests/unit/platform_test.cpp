// The platform layer, whichever implementation this build selected (linux, posix with
// -DALEMBIC_LSP_PORTABLE_POSIX=ON, windows): the polling watcher every build has, the
// FileWatcher the server uses, files that are never replaced, and running a program.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <random>
#include <set>

#include "platform/files.h"
#include "platform/process.h"
#include "platform/watcher.h"

namespace alembic::platform {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct TempDir {
  fs::path path;
  TempDir() {
    path =
        fs::temp_directory_path() / ("alembic-platform-" + std::to_string(std::random_device{}()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}

// Collects events until `done` says the wanted ones arrived (or a generous limit passes:
// the limit only keeps a broken watcher from hanging the test).
class Collector {
 public:
  void add(FileEvents e) {
    std::lock_guard lock(mutex_);
    changed_.insert(e.changed.begin(), e.changed.end());
    deleted_.insert(e.deleted.begin(), e.deleted.end());
    cv_.notify_all();
  }
  bool wait_changed(const fs::path& p) {
    return wait([&] { return changed_.count(p.string()); });
  }
  bool wait_deleted(const fs::path& p) {
    return wait([&] { return deleted_.count(p.string()); });
  }

 private:
  template <class F>
  bool wait(F f) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 20s, [&] { return f() > 0; });
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::set<std::string> changed_, deleted_;
};

TEST(PollingWatcher, SeesCreatedChangedAndDeletedFilesBelowARecursiveDirectory) {
  TempDir dir;
  fs::create_directories(dir.path / "versions" / "sub");
  write(dir.path / "versions" / "old.py", "x = 1\n");
  Collector seen;
  PollingWatcher watcher([&](FileEvents e) { seen.add(std::move(e)); }, 50ms);
  watcher.watch({{dir.path / "versions", true}});
  const fs::path created = dir.path / "versions" / "sub" / "new.py";
  write(created, "revision = 'a'\n");
  EXPECT_TRUE(seen.wait_changed(created));
  fs::remove(dir.path / "versions" / "old.py");
  EXPECT_TRUE(seen.wait_deleted(dir.path / "versions" / "old.py"));
}

TEST(FileWatcher, TheServersWatcherSeesAFileCreatedOutsideTheEditor) {
  TempDir dir;
  Collector seen;
  FileWatcher watcher([&](FileEvents e) { seen.add(std::move(e)); });
  ASSERT_TRUE(watcher.ok());
  watcher.watch({{dir.path, false}});
  const fs::path created = dir.path / "alembic.ini";
  write(created, "[alembic]\n");
  EXPECT_TRUE(seen.wait_changed(created));
}

TEST(NewFiles, NeverReplaceAnExistingFile) {
  TempDir dir;
  const fs::path target = dir.path / "versions" / "abc_merge.py";
  write_new_file(target, "first\n");
  EXPECT_EQ(read_regular_file(target), "first\n");
  EXPECT_THROW(write_new_file(target, "second\n"), std::runtime_error);
  EXPECT_EQ(read_regular_file(target), "first\n");
  EXPECT_THROW(reserve_new_file(target), std::runtime_error);
  reserve_new_file(dir.path / "reserved.py");
  EXPECT_EQ(read_regular_file(dir.path / "reserved.py"), "");
  // No temporary file is left behind.
  size_t entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(target.parent_path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST(Files, ReadingADirectoryOrAMissingFileSaysWhy) {
  TempDir dir;
  EXPECT_EQ(regular_file_problem(dir.path), "not a regular file");
  EXPECT_TRUE(regular_file_problem(dir.path / "missing.py").has_value());
  EXPECT_THROW(read_regular_file(dir.path / "missing.py"), std::runtime_error);
  write(dir.path / "a.py", "0123456789");
  EXPECT_EQ(read_file_prefix(dir.path / "a.py", 4), "0123");
  EXPECT_FALSE(regular_file_problem(dir.path / "a.py"));
}

TEST(Files, NameOnDiskIsTheStoredSpellingOfAnEntry) {
  // This system's answer; the Windows one (FindFirstFileW, without case) runs under wine
  // (test_lifecycle's file opened under another case, scripts/test-windows.sh).
  TempDir dir;
  write(dir.path / "Add_Users.py", "");
  fs::create_directory(dir.path / "Versions");
  EXPECT_EQ(name_on_disk(dir.path / "Add_Users.py"), "Add_Users.py");
  EXPECT_EQ(name_on_disk(dir.path / "Versions"), "Versions");
  EXPECT_EQ(name_on_disk(dir.path / "missing.py"), std::nullopt);
  // Another case: no such entry where names have case (Linux); on POSIX systems without
  // case (macOS) the entry exists and comes back as given (only Windows asks for it).
  EXPECT_EQ(name_on_disk(dir.path / "add_users.py").has_value(),
            fs::exists(dir.path / "add_users.py"));
}

TEST(Process, RunsAProgramOnPathWithInputAndReportsAMissingOne) {
  ProcessResult missing =
      run_process("alembic-lsp-no-such-program", {}, environment(), {}, 10s, nullptr);
  EXPECT_FALSE(missing.started);
  EXPECT_NE(missing.error.find("alembic-lsp-no-such-program"), std::string::npos);
  // git is what the server runs; the tests need it anyway.
  ProcessResult r =
      run_process("git", {"hash-object", "--stdin"}, environment(), "hello\n", 30s, nullptr);
  ASSERT_TRUE(r.ok()) << r.error << r.err;
  EXPECT_EQ(r.out, "ce013625030ba8dba906f756967f9e9ca394464a\n");
  std::atomic<bool> cancel{true};
  ProcessResult cancelled =
      run_process("git", {"cat-file", "--batch"}, environment(), {}, 30s, &cancel);
  EXPECT_TRUE(cancelled.cancelled);
  EXPECT_FALSE(cancelled.ok());
}

TEST(Process, AProcessThatDoesNotExistIsNotAlive) {
  EXPECT_FALSE(process_alive(0x7ffffff0));  // no such process
}

}  // namespace
}  // namespace alembic::platform
