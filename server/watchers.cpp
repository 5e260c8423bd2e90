#include "server/watchers.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

#include <spdlog/spdlog.h>

namespace alembic::server {

namespace fs = std::filesystem;

ParentWatch::ParentWatch(int pid, std::function<void()> on_gone) {
  thread_ = std::thread([this, pid, on_gone = std::move(on_gone)] {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      // kill(pid, 0) probes existence without sending anything.
      if (kill(pid, 0) != 0 && errno == ESRCH) {
        spdlog::warn("client process {} is gone; exiting", pid);
        lock.unlock();
        on_gone();
        return;
      }
      cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; });
    }
  });
}

ParentWatch::~ParentWatch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

FileWatcher::FileWatcher(std::function<void(FileEvents)> on_events)
    : on_events_(std::move(on_events)) {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0 || pipe(wake_) != 0) {
    spdlog::warn("inotify unavailable ({}); files changed outside the editor are not seen",
                 std::strerror(errno));
    return;
  }
  thread_ = std::thread([this] { run(); });
}

FileWatcher::~FileWatcher() {
  if (wake_[1] >= 0) {
    char c = 'q';
    [[maybe_unused]] auto n = write(wake_[1], &c, 1);
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : {fd_, wake_[0], wake_[1]})
    if (fd >= 0) close(fd);
}

void FileWatcher::add_dir(const fs::path& dir, bool recursive, int depth) {
  constexpr uint32_t kMask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM |
                             IN_MOVED_TO | IN_DELETE_SELF | IN_ONLYDIR;
  int wd = inotify_add_watch(fd_, dir.c_str(), kMask);
  if (wd < 0) {
    if (errno != ENOENT) spdlog::warn("cannot watch {}: {}", dir.string(), std::strerror(errno));
    return;
  }
  if (watches_.count(wd)) return;  // the same directory through a link: already watched
  watches_[wd] = {dir.string(), recursive};
  if (!recursive || depth > 32) return;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec) && it->path().filename() != "__pycache__")
      add_dir(it->path(), true, depth + 1);
  }
}

void FileWatcher::watch(const std::vector<std::pair<fs::path, bool>>& dirs) {
  if (fd_ < 0) return;
  std::lock_guard lock(mutex_);
  for (const auto& [wd, _] : watches_) inotify_rm_watch(fd_, wd);
  watches_.clear();
  for (const auto& [dir, recursive] : dirs) add_dir(dir, recursive, 0);
}

void FileWatcher::run() {
  FileEvents pending;
  alignas(inotify_event) char buffer[64 * 1024];
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    // While events are pending, a short timeout closes the batch once things go quiet.
    bool have = !pending.changed.empty() || !pending.deleted.empty();
    int n = poll(fds, 2, have ? 100 : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || (fds[1].revents & POLLIN)) return;
    if (n == 0) {
      on_events_(std::move(pending));
      pending = {};
      continue;
    }
    ssize_t len = read(fd_, buffer, sizeof buffer);
    if (len <= 0) continue;
    std::lock_guard lock(mutex_);
    for (char* p = buffer; p < buffer + len;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      auto it = watches_.find(ev->wd);
      if (it == watches_.end()) continue;
      std::string path = it->second.first;
      if (ev->len > 0) path += "/" + std::string(ev->name);
      if (ev->mask & (IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF)) {
        pending.deleted.insert(path);
        pending.changed.erase(path);
      } else {
        pending.changed.insert(path);
        pending.deleted.erase(path);
        if ((ev->mask & IN_ISDIR) && it->second.second) add_dir(path, true, 1);
      }
    }
  }
}

}  // namespace alembic::server
