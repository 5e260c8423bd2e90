#include "protocol/thread_pool.h"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>

namespace alembic::protocol {

ThreadPool::ThreadPool(unsigned threads)
    : size_(threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency())) {}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
    // Grow only while every existing thread is busy: idle threads pick the task up.
    if (threads_.size() < size_ && tasks_.size() + running_ > threads_.size()) {
      threads_.emplace_back([this] { work(); });
    }
  }
  wake_.notify_one();
}

void ThreadPool::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return tasks_.empty() && running_ == 0; });
}

void ThreadPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopping and drained
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    lock.unlock();
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("worker task failed: {}", e.what());
    } catch (...) {
      spdlog::error("worker task failed with a non-standard exception");
    }
    lock.lock();
    --running_;
    if (tasks_.empty() && running_ == 0) idle_.notify_all();
  }
}

}  // namespace alembic::protocol
