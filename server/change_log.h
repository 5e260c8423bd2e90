// What changed in the workspace's analyses, in order, for server features that keep
// state derived from every revision (the view-refresh decision): they catch up from
// the log after a change instead of walking the whole workspace. Plain C++, no JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

namespace alembic::server {

struct EnvironmentState;

class ChangeLog {
 public:
  /// Anything may have changed: environments replaced, an environment analysed whole.
  void everything();
  /// Only these revisions of `env` (indexes into env->graph.revisions) changed their own
  /// values or their children / dependents lists; the heads and bases may have changed too.
  void revisions(const EnvironmentState* env, const std::vector<size_t>& which);

  /// The position after the last change: a reader keeps it to read on from there.
  uint64_t position() const { return end_; }
  /// Appends the (environment, revision) pairs changed since `from` to `out`. False when
  /// the reader must take everything as changed: a whole change since `from`, or the
  /// log no longer reaches back that far.
  bool read(uint64_t from, std::vector<std::pair<const EnvironmentState*, size_t>>& out) const;

 private:
  struct Entry {
    const EnvironmentState* env;
    std::vector<size_t> revisions;
  };
  static constexpr size_t kKeep = 256;  ///< entries kept for readers that fall behind
  std::deque<Entry> entries_;           ///< positions [end_ - entries_.size(), end_)
  uint64_t end_ = 0;
  uint64_t whole_at_ = 0;  ///< the position just after the last whole change
};

}  // namespace alembic::server
