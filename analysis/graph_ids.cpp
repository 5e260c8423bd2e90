// detail::IdTable: the open-addressing table from revision ids and branch labels to
// their graph nodes (string views into the parsed scripts, no copies).
#include <functional>

#include "analysis/graph_internal.h"

namespace alembic::detail {

namespace {
uint32_t hash_of(std::string_view key) {
  size_t h = std::hash<std::string_view>{}(key);
  return static_cast<uint32_t>(h ^ (h >> 32));
}
}  // namespace

void IdTable::reserve(size_t count) {
  entries_.reserve(count);
  grow(count);
}

void IdTable::grow(size_t count) {
  size_t capacity = 16;
  while (capacity < count * 2) capacity <<= 1;
  if (capacity <= slots_.size()) return;
  slots_.assign(capacity, Slot{});
  const size_t mask = capacity - 1;
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    uint32_t hash = hash_of(entries_[e].key);
    size_t i = hash & mask;
    while (slots_[i].entry != kNoNode) i = (i + 1) & mask;
    slots_[i] = Slot{hash, e};
  }
}

uint32_t& IdTable::find(std::string_view key, uint32_t hash, bool& found) {
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].entry != kNoNode) {
    if (slots_[i].hash == hash && entries_[slots_[i].entry].key == key) {
      found = true;
      return slots_[i].entry;
    }
    i = (i + 1) & mask;
  }
  found = false;
  slots_[i].hash = hash;
  return slots_[i].entry;
}

uint32_t IdTable::find(std::string_view key, uint32_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].entry != kNoNode; i = (i + 1) & mask)
    if (slots_[i].hash == hash && entries_[slots_[i].entry].key == key) return slots_[i].entry;
  return kNoNode;
}

uint32_t IdTable::set(std::string_view key, uint32_t value) {
  grow(entries_.size() + 1);
  bool found = false;
  uint32_t& entry = find(key, hash_of(key), found);
  if (found) {
    entries_[entry].value = value;
    return entry;
  }
  entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back({key, value});
  return entry;
}

uint32_t IdTable::insert(std::string_view key, uint32_t value) {
  grow(entries_.size() + 1);
  bool found = false;
  uint32_t& entry = find(key, hash_of(key), found);
  if (found) return entries_[entry].value;
  entry = static_cast<uint32_t>(entries_.size());
  entries_.push_back({key, value});
  return value;
}

uint32_t IdTable::get(std::string_view key) const {
  if (slots_.empty()) return kNoNode;
  uint32_t entry = find(key, hash_of(key));
  return entry == kNoNode ? kNoNode : entries_[entry].value;
}

}  // namespace alembic::detail
