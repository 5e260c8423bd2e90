// The portable watcher: a snapshot of the watched directories' entries (modification
// time and size), taken again every interval and compared with the last one.
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "platform/watcher.h"

namespace alembic::platform {

namespace fs = std::filesystem;

namespace {

struct Stamp {
  fs::file_time_type time{};
  std::uintmax_t size = 0;
  bool operator==(const Stamp&) const = default;
};

using Snapshot = std::map<std::string, Stamp>;

void scan(const fs::path& dir, bool recursive, int depth, Snapshot& out) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e;
    const fs::path& p = it->path();
    const bool is_dir = it->is_directory(e);
    Stamp stamp;
    stamp.time = it->last_write_time(e);
    if (!is_dir) stamp.size = it->file_size(e);
    out[p.string()] = stamp;
    if (recursive && is_dir && depth < 32 && !it->is_symlink(e) && p.filename() != "__pycache__")
      scan(p, true, depth + 1, out);
  }
}

}  // namespace

struct PollingWatcher::State {
  std::function<void(FileEvents)> on_events;
  std::chrono::milliseconds interval;
  std::mutex mutex;
  std::condition_variable cv;
  bool stop = false;
  std::vector<std::pair<fs::path, bool>> dirs;
  Snapshot last;
  std::thread thread;

  Snapshot take(const std::vector<std::pair<fs::path, bool>>& watched) {
    Snapshot snapshot;
    for (const auto& [dir, recursive] : watched) scan(dir, recursive, 0, snapshot);
    return snapshot;
  }

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      cv.wait_for(lock, interval, [this] { return stop; });
      if (stop) return;
      const auto watched = dirs;
      lock.unlock();
      Snapshot now = take(watched);
      lock.lock();
      if (stop) return;
      if (watched != dirs) continue;  // watch() replaced the set meanwhile
      FileEvents events;
      for (const auto& [path, stamp] : now) {
        auto it = last.find(path);
        if (it == last.end() || !(it->second == stamp)) events.changed.insert(path);
      }
      for (const auto& [path, _] : last)
        if (!now.count(path)) events.deleted.insert(path);
      last = std::move(now);
      if (events.changed.empty() && events.deleted.empty()) continue;
      lock.unlock();
      on_events(std::move(events));
      lock.lock();
    }
  }
};

PollingWatcher::PollingWatcher(std::function<void(FileEvents)> on_events,
                               std::chrono::milliseconds interval)
    : state_(std::make_unique<State>()) {
  state_->on_events = std::move(on_events);
  state_->interval = interval;
  state_->thread = std::thread([s = state_.get()] { s->run(); });
}

PollingWatcher::~PollingWatcher() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stop = true;
  }
  state_->cv.notify_all();
  if (state_->thread.joinable()) state_->thread.join();
}

void PollingWatcher::watch(const std::vector<std::pair<fs::path, bool>>& dirs) {
  // The baseline is taken here, so only changes after watch() are reported.
  Snapshot baseline = state_->take(dirs);
  std::lock_guard lock(state_->mutex);
  state_->dirs = dirs;
  state_->last = std::move(baseline);
}

}  // namespace alembic::platform
