// In-memory transport for tests: two one-way byte queues wired crosswise.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <system_error>

#include "protocol/transport.h"

namespace alembic::protocol {
namespace {

// One direction of the connection. Bounded like an OS pipe, so a test that streams a
// 100 MB body exercises back-pressure instead of holding the body in memory.
class ByteQueue {
 public:
  static constexpr std::size_t kCapacity = 1 << 20;

  std::size_t read(char* buffer, std::size_t capacity, const bool& interrupted) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return available() > 0 || closed_ || interrupted; });
    if (interrupted || available() == 0) return 0;
    std::size_t n = std::min(capacity, available());
    std::copy_n(bytes_.data() + head_, n, buffer);
    head_ += n;
    if (head_ == bytes_.size()) {
      bytes_.clear();
      head_ = 0;
    }
    lock.unlock();
    changed_.notify_all();
    return n;
  }

  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return available() < kCapacity || closed_; });
      if (closed_) {
        throw std::system_error(std::make_error_code(std::errc::broken_pipe),
                                "write to closed in-memory pipe");
      }
      if (head_ > 0) {  // compact before growing
        bytes_.erase(0, head_);
        head_ = 0;
      }
      std::size_t n = std::min(bytes.size(), kCapacity - available());
      bytes_.append(bytes.substr(0, n));
      bytes.remove_prefix(n);
      lock.unlock();
      changed_.notify_all();
    }
  }

  void close() {
    update([this] { closed_ = true; });
  }

  // Runs `change` under the queue's lock, then wakes readers: the reader's interrupt
  // flag is guarded by this queue's mutex so a wake-up is never lost.
  template <typename F>
  void update(F change) {
    {
      std::lock_guard lock(mutex_);
      change();
    }
    changed_.notify_all();
  }

 private:
  std::size_t available() const { return bytes_.size() - head_; }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::string bytes_;
  std::size_t head_ = 0;  // bytes_[0, head_) were already read
  bool closed_ = false;
};

class MemoryStream final : public ByteStream {
 public:
  MemoryStream(std::shared_ptr<ByteQueue> in, std::shared_ptr<ByteQueue> out)
      : in_(std::move(in)), out_(std::move(out)) {}

  ~MemoryStream() override {
    // Dropping one end looks like a hang-up to the other.
    out_->close();
    in_->close();
  }

  std::size_t read_some(char* buffer, std::size_t capacity) override {
    return in_->read(buffer, capacity, interrupted_);
  }
  void write_all(std::string_view bytes) override { out_->write(bytes); }
  void interrupt_read() override {
    in_->update([this] { interrupted_ = true; });
  }
  void close_write() override { out_->close(); }

 private:
  std::shared_ptr<ByteQueue> in_;
  std::shared_ptr<ByteQueue> out_;
  bool interrupted_ = false;  // guarded by in_'s mutex
};

}  // namespace

StreamPair make_memory_pipe() {
  auto a_to_b = std::make_shared<ByteQueue>();
  auto b_to_a = std::make_shared<ByteQueue>();
  return {std::make_unique<MemoryStream>(b_to_a, a_to_b),
          std::make_unique<MemoryStream>(a_to_b, b_to_a)};
}

}  // namespace alembic::protocol
