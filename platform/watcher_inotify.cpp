// FileWatcher on Linux: inotify.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "platform/posix_pipe.h"
#include "platform/watcher.h"

namespace alembic::platform {

namespace fs = std::filesystem;

struct FileWatcher::Impl {
  explicit Impl(std::function<void(FileEvents)> on_events) : on_events_(std::move(on_events)) {
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0 || !detail::open_pipe(wake_, false)) {
      spdlog::warn("inotify unavailable ({}); files changed outside the editor are not seen",
                   std::strerror(errno));
      return;
    }
    thread_ = std::thread([this] { run(); });
  }

  ~Impl() {
    if (wake_[1] >= 0) {
      char c = 'q';
      [[maybe_unused]] auto n = write(wake_[1], &c, 1);
    }
    if (thread_.joinable()) thread_.join();
    for (int fd : {fd_, wake_[0], wake_[1]})
      if (fd >= 0) close(fd);
  }

  void add_dir(const fs::path& dir, bool recursive, int depth) {
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

  void watch(const std::vector<std::pair<fs::path, bool>>& dirs) {
    if (fd_ < 0) return;
    std::lock_guard lock(mutex_);
    for (const auto& [wd, _] : watches_) inotify_rm_watch(fd_, wd);
    watches_.clear();
    for (const auto& [dir, recursive] : dirs) add_dir(dir, recursive, 0);
  }

  void run() {
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

  int fd_ = -1;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::map<int, std::pair<std::string, bool>> watches_;  ///< wd -> (dir, recursive)
  std::function<void(FileEvents)> on_events_;
  std::thread thread_;
};

FileWatcher::FileWatcher(std::function<void(FileEvents)> on_events)
    : impl_(std::make_unique<Impl>(std::move(on_events))) {}
FileWatcher::~FileWatcher() = default;
void FileWatcher::watch(const std::vector<std::pair<fs::path, bool>>& dirs) {
  impl_->watch(dirs);
}
bool FileWatcher::ok() const {
  return impl_->fd_ >= 0;
}

}  // namespace alembic::platform
