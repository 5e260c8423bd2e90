#include "server/change_log.h"

namespace alembic::server {

void ChangeLog::everything() {
  entries_.clear();
  whole_at_ = ++end_;
}

void ChangeLog::revisions(const EnvironmentState* env, const std::vector<size_t>& which) {
  entries_.push_back(Entry{env, which});
  ++end_;
  if (entries_.size() > kKeep) entries_.pop_front();
}

bool ChangeLog::read(uint64_t from,
                     std::vector<std::pair<const EnvironmentState*, size_t>>& out) const {
  if (from < whole_at_ || from > end_ || end_ - from > entries_.size()) return false;
  for (size_t k = entries_.size() - (end_ - from); k < entries_.size(); ++k)
    for (size_t r : entries_[k].revisions) out.emplace_back(entries_[k].env, r);
  return true;
}

}  // namespace alembic::server
