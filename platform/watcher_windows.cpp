// FileWatcher on Windows: ReadDirectoryChangesW, one overlapped read per watched
// directory (with its subtree when recursive), all waited on by one thread. Where a
// directory cannot be watched that way (more directories than one wait takes, a file
// system without change notifications), the polling watcher takes over the whole set.
#include <windows.h>

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "platform/watcher.h"
#include "platform/windows_text.h"

namespace alembic::platform {

namespace fs = std::filesystem;

namespace {

constexpr std::chrono::milliseconds kPollInterval{1000};
constexpr DWORD kQuietMs = 100;  // a batch closes once nothing happened for this long
// WaitForMultipleObjects takes 64 handles: the wake-up event and 63 directories.
constexpr size_t kMaxDirectories = MAXIMUM_WAIT_OBJECTS - 1;
constexpr DWORD kFilter = FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME |
                          FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE |
                          FILE_NOTIFY_CHANGE_CREATION;

bool under_pycache(const std::wstring& relative) {
  size_t start = 0;
  for (;;) {
    const size_t end = relative.find_first_of(L"\\/", start);
    if (relative.compare(start, end == std::wstring::npos ? std::wstring::npos : end - start,
                         L"__pycache__") == 0)
      return true;
    if (end == std::wstring::npos) return false;
    start = end + 1;
  }
}

struct Directory {
  fs::path path;
  bool recursive = false;
  HANDLE handle = INVALID_HANDLE_VALUE;
  HANDLE event = nullptr;
  OVERLAPPED overlapped{};
  bool armed = false;                                         ///< a read is outstanding
  std::vector<DWORD> buffer = std::vector<DWORD>(16 * 1024);  // 64 KiB, DWORD-aligned

  Directory() = default;
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
  ~Directory() {
    if (handle != INVALID_HANDLE_VALUE) {
      if (armed) {
        CancelIoEx(handle, &overlapped);
        DWORD ignored = 0;
        GetOverlappedResult(handle, &overlapped, &ignored, TRUE);  // the buffer is ours again
      }
      CloseHandle(handle);
    }
    if (event) CloseHandle(event);
  }

  bool open() {
    handle = CreateFileW(path.wstring().c_str(), FILE_LIST_DIRECTORY,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr);
    if (handle == INVALID_HANDLE_VALUE) return false;
    event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    return event && arm();
  }

  // Starts the next read of changes; its completion sets `event`.
  bool arm() {
    ResetEvent(event);
    overlapped = OVERLAPPED{};
    overlapped.hEvent = event;
    armed = ReadDirectoryChangesW(handle, buffer.data(),
                                  static_cast<DWORD>(buffer.size() * sizeof(DWORD)), recursive,
                                  kFilter, nullptr, &overlapped, nullptr);
    return armed;
  }
};

}  // namespace

struct FileWatcher::Impl {
  explicit Impl(std::function<void(FileEvents)> on_events)
      : on_events_(std::move(on_events)), wake_(CreateEventW(nullptr, FALSE, FALSE, nullptr)) {
    running_ = wake_ != nullptr;
    if (wake_) thread_ = std::thread([this] { run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    if (wake_) SetEvent(wake_);
    if (thread_.joinable()) thread_.join();
    if (wake_) CloseHandle(wake_);
  }

  void watch(const std::vector<std::pair<fs::path, bool>>& dirs) {
    {
      std::lock_guard lock(mutex_);
      wanted_ = dirs;
      rewatch_ = true;
    }
    if (wake_) SetEvent(wake_);
    // The thread answers with the set it could watch natively; the rest is polled.
    std::unique_lock lock(mutex_);
    settled_.wait(lock, [this] { return !rewatch_ || !running_; });
  }

  bool ok() const { return wake_ != nullptr; }

 private:
  // On the watcher thread: opens every wanted directory, or, if one fails (and it exists),
  // hands the whole set to the polling watcher so that nothing is half watched.
  void open_wanted(std::vector<std::unique_ptr<Directory>>& dirs) {
    std::vector<std::pair<fs::path, bool>> wanted;
    {
      std::lock_guard lock(mutex_);
      wanted = wanted_;
    }
    dirs.clear();
    bool native = wanted.size() <= kMaxDirectories;
    for (size_t i = 0; native && i < wanted.size(); ++i) {
      auto dir = std::make_unique<Directory>();
      dir->path = wanted[i].first;
      dir->recursive = wanted[i].second;
      if (dir->open()) {
        dirs.push_back(std::move(dir));
      } else if (GetLastError() != ERROR_FILE_NOT_FOUND && GetLastError() != ERROR_PATH_NOT_FOUND) {
        spdlog::info("cannot watch {} with ReadDirectoryChangesW ({}); polling instead",
                     wanted[i].first.string(), detail::error_text(GetLastError()));
        native = false;
      }
    }
    if (!native) {
      dirs.clear();
      if (!poller_) poller_ = std::make_unique<PollingWatcher>(on_events_, kPollInterval);
      poller_->watch(wanted);
    } else if (poller_) {
      poller_->watch({});
    }
    std::lock_guard lock(mutex_);
    rewatch_ = false;
    settled_.notify_all();
  }

  // Reads what one directory's completed read reported into `pending`; false when the
  // directory is gone (its handle no longer delivers).
  static bool collect(Directory& dir, FileEvents& pending) {
    DWORD bytes = 0;
    dir.armed = false;
    if (!GetOverlappedResult(dir.handle, &dir.overlapped, &bytes, FALSE)) return false;
    if (bytes == 0) {
      // More changes than the buffer holds: the directory itself is reported changed,
      // which makes the server read it again.
      pending.changed.insert(dir.path.string());
    }
    const char* p = reinterpret_cast<const char*>(dir.buffer.data());
    const char* end = p + bytes;
    while (bytes > 0 && p < end) {
      const auto* info = reinterpret_cast<const FILE_NOTIFY_INFORMATION*>(p);
      const std::wstring name(info->FileName, info->FileNameLength / sizeof(wchar_t));
      if (!under_pycache(name)) {
        const std::string path = (dir.path / name).lexically_normal().string();
        if (info->Action == FILE_ACTION_REMOVED || info->Action == FILE_ACTION_RENAMED_OLD_NAME) {
          pending.deleted.insert(path);
          pending.changed.erase(path);
        } else {
          pending.changed.insert(path);
          pending.deleted.erase(path);
        }
      }
      if (info->NextEntryOffset == 0) break;
      p += info->NextEntryOffset;
    }
    return dir.arm();
  }

  void run() {
    std::vector<std::unique_ptr<Directory>> dirs;
    FileEvents pending;
    for (;;) {
      std::vector<HANDLE> handles{wake_};
      for (const auto& d : dirs) handles.push_back(d->event);
      const bool have = !pending.changed.empty() || !pending.deleted.empty();
      const DWORD r = WaitForMultipleObjects(static_cast<DWORD>(handles.size()), handles.data(),
                                             FALSE, have ? kQuietMs : INFINITE);
      if (r == WAIT_TIMEOUT) {
        on_events_(std::move(pending));
        pending = {};
        continue;
      }
      if (r == WAIT_OBJECT_0) {
        bool stop = false, rewatch = false;
        {
          std::lock_guard lock(mutex_);
          stop = stopping_;
          rewatch = rewatch_;
        }
        if (stop) break;
        if (rewatch) open_wanted(dirs);
        continue;
      }
      const size_t index = r - WAIT_OBJECT_0 - 1;
      if (r == WAIT_FAILED || index >= dirs.size()) {
        spdlog::warn("file watching stopped: {}", detail::error_text(GetLastError()));
        break;
      }
      if (!collect(*dirs[index], pending)) {
        // The directory was deleted or its volume went away: it is reported deleted (the
        // server drops what was below it) and no longer waited on.
        pending.deleted.insert(dirs[index]->path.string());
        dirs.erase(dirs.begin() + static_cast<std::ptrdiff_t>(index));
      }
    }
    dirs.clear();
    poller_.reset();
    std::lock_guard lock(mutex_);
    running_ = false;
    settled_.notify_all();
  }

  std::function<void(FileEvents)> on_events_;
  HANDLE wake_;
  std::mutex mutex_;
  std::condition_variable settled_;
  std::vector<std::pair<fs::path, bool>> wanted_;
  bool rewatch_ = false;
  bool stopping_ = false;
  bool running_ = false;                    ///< the thread waits (false once it has ended)
  std::unique_ptr<PollingWatcher> poller_;  ///< only on the watcher thread
  std::thread thread_;
};

FileWatcher::FileWatcher(std::function<void(FileEvents)> on_events)
    : impl_(std::make_unique<Impl>(std::move(on_events))) {}
FileWatcher::~FileWatcher() = default;
void FileWatcher::watch(const std::vector<std::pair<fs::path, bool>>& dirs) {
  impl_->watch(dirs);
}
bool FileWatcher::ok() const {
  return impl_->ok();
}

}  // namespace alembic::platform
