// Watching directories for files created, changed or deleted outside the editor, when the
// client does not watch for the server.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace alembic::platform {

/// A batch of file events, coalesced over a short quiet period.
struct FileEvents {
  std::set<std::string> changed;  ///< created or modified
  std::set<std::string> deleted;
};

/// Watches directories and delivers coalesced events from its own thread. The system's
/// native mechanism where there is one (inotify on Linux), otherwise PollingWatcher.
class FileWatcher {
 public:
  explicit FileWatcher(std::function<void(FileEvents)> on_events);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  /// Replaces the watched set: each directory, and below it when `recursive`
  /// (__pycache__ and linked directories are skipped).
  void watch(const std::vector<std::pair<std::filesystem::path, bool>>& dirs);
  bool ok() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// The portable watcher: compares a snapshot (modification time and size of each entry)
/// every `interval`. Used by FileWatcher where the system offers nothing better.
class PollingWatcher {
 public:
  PollingWatcher(std::function<void(FileEvents)> on_events, std::chrono::milliseconds interval);
  ~PollingWatcher();
  PollingWatcher(const PollingWatcher&) = delete;
  PollingWatcher& operator=(const PollingWatcher&) = delete;

  void watch(const std::vector<std::pair<std::filesystem::path, bool>>& dirs);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace alembic::platform
