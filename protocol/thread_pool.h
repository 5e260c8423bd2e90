// A fixed-size pool of std::threads for requests that must not block the message loop.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace alembic::protocol {

/// Runs submitted tasks on up to N threads, started on first use so that a server whose
/// requests all run on the loop thread never creates them.
class ThreadPool {
 public:
  /// `threads` 0 means std::thread::hardware_concurrency() (at least 1).
  explicit ThreadPool(unsigned threads = 0);
  /// Finishes queued tasks, then joins every thread.
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /// Queues a task. Tasks must not throw (exceptions escaping a task are logged and dropped).
  void submit(std::function<void()> task);

  /// Blocks until no task is queued or running.
  void wait_idle();

  /// Threads the pool may use.
  unsigned size() const { return size_; }

 private:
  void work();

  unsigned size_;
  std::mutex mutex_;
  std::condition_variable wake_;  // tasks queued or shutting down
  std::condition_variable idle_;  // a task finished
  std::deque<std::function<void()>> tasks_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace alembic::protocol
