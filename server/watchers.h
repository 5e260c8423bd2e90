// Threads that watch the outside world for the session: the client's process, and
// the files under the workspace (platform/watcher.h) when the client does not watch for us.
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

#include "platform/watcher.h"

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

/// Files changed outside the editor: the platform layer's watcher (inotify on Linux,
/// polling elsewhere), used when the client does not watch for us.
using platform::FileEvents;
using platform::FileWatcher;

}  // namespace alembic::server
