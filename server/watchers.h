// Threads that watch the outside world for the session: the client's process, and
// the files under the workspace (inotify) when the client does not watch for us.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace alembic::server {

/// Calls `on_gone` (from its own thread) once the process `pid` no longer exists.
class ParentWatch {
 public:
  ParentWatch(int pid, std::function<void()> on_gone);
  ~ParentWatch();

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

/// A batch of file events, coalesced over a short quiet period.
struct FileEvents {
  std::set<std::string> changed;  ///< created or modified
  std::set<std::string> deleted;
};

/// Watches directories with inotify and delivers coalesced events from its own thread.
class FileWatcher {
 public:
  explicit FileWatcher(std::function<void(FileEvents)> on_events);
  ~FileWatcher();

  /// Replaces the watched set: each directory, and below it when `recursive`.
  void watch(const std::vector<std::pair<std::filesystem::path, bool>>& dirs);
  bool ok() const { return fd_ >= 0; }

 private:
  void run();
  void add_dir(const std::filesystem::path& dir, bool recursive, int depth);

  int fd_ = -1;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::map<int, std::pair<std::string, bool>> watches_;  ///< wd -> (dir, recursive)
  std::function<void(FileEvents)> on_events_;
  std::thread thread_;
};

}  // namespace alembic::server
