#include "server/watchers.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "platform/process.h"

namespace alembic::server {

ParentWatch::ParentWatch(int pid, std::function<void()> on_gone) {
  thread_ = std::thread([this, pid, on_gone = std::move(on_gone)] {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      if (!platform::process_alive(pid)) {
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

}  // namespace alembic::server
