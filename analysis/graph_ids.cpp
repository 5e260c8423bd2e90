// Revision ids: the id a script declares, the analysis's lookups by id, and
// detail::IdTable, the open-addressing table from revision ids and branch labels to
// their graph nodes (string views into the parsed scripts, no copies).
#include <functional>

#include "analysis/findings.h"
#include "analysis/graph_internal.h"

namespace alembic {

long GraphAnalysis::find(const std::string& id) const {
  auto it = by_id.find(id);
  return it == by_id.end() || it->second.empty() ? -1 : static_cast<long>(it->second.back());
}

std::vector<size_t> GraphAnalysis::definitions(const std::string& id) const {
  std::vector<size_t> scripts;
  auto it = by_id.find(id);
  if (it == by_id.end()) return scripts;
  for (size_t index : it->second) scripts.push_back(revisions[index].script);
  return scripts;
}

std::string_view revision_id_view(const Script& script) {
  const AssignedValue& rev = script.parsed.revision;
  if (rev.present) {
    if (rev.is_none || rev.is_sequence || rev.strings.size() != 1 || !rev.unresolved.empty())
      return {};
    return rev.strings[0].text;
  }
  // Alembic's legacy rule: re.match(r"([a-f0-9]+)\.py$", filename).
  std::string_view name = file_name_of(script.path);
  if (name.size() <= 3 || name.substr(name.size() - 3) != ".py") return {};
  std::string_view stem = name.substr(0, name.size() - 3);
  for (char c : stem)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return {};
  return stem;
}

std::string revision_id_of(const Script& script) {
  return std::string(revision_id_view(script));
}

}  // namespace alembic

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
