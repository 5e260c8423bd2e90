// FileWatcher where the system has no watcher this program uses: the polling watcher.
// (The portable POSIX build; editors that register workspace/
// didChangeWatchedFiles, as VS Code does, make it unnecessary.)
#include "platform/watcher.h"

namespace alembic::platform {

namespace {
constexpr std::chrono::milliseconds kPollInterval{1000};
}

struct FileWatcher::Impl {
  explicit Impl(std::function<void(FileEvents)> on_events)
      : poller(std::move(on_events), kPollInterval) {}
  PollingWatcher poller;
};

FileWatcher::FileWatcher(std::function<void(FileEvents)> on_events)
    : impl_(std::make_unique<Impl>(std::move(on_events))) {}
FileWatcher::~FileWatcher() = default;
void FileWatcher::watch(const std::vector<std::pair<std::filesystem::path, bool>>& dirs) {
  impl_->poller.watch(dirs);
}
bool FileWatcher::ok() const {
  return true;
}

}  // namespace alembic::platform
