#include "analysis/revision_search.h"

#include <vector>

namespace alembic {

namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Letters, digits and any non-ASCII byte (a word of a message in another script).
bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || u >= 0x80;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (word_char(c)) {
      current += lower(c);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

bool starts_with_folded(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[i]) != lower(prefix[i])) return false;
  return true;
}

}  // namespace

RevisionMatch match_revision(std::string_view query, std::string_view name,
                             std::string_view message) {
  if (starts_with_folded(name, query)) return RevisionMatch::IdPrefix;
  const std::vector<std::string> wanted = words_of(query);
  if (wanted.empty()) return RevisionMatch::None;  // only punctuation, and not an id prefix
  const std::vector<std::string> have = words_of(message);
  for (const std::string& w : wanted) {
    bool found = false;
    for (const std::string& h : have) found = found || h.starts_with(w);
    if (!found) return RevisionMatch::None;
  }
  return RevisionMatch::MessageWords;
}

std::string message_summary(std::string_view message, size_t max_chars) {
  std::string_view line = message.substr(0, message.find('\n'));
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
    line.remove_suffix(1);
  if (max_chars == 0 || line.size() <= max_chars) return std::string(line);
  size_t cut = max_chars;
  // Never split a UTF-8 sequence: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  std::string out(line.substr(0, cut));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

std::unordered_set<std::string> descendant_ids(const GraphAnalysis& graph, const std::string& id) {
  std::unordered_set<std::string> found;
  auto copies = graph.by_id.find(id);
  if (copies == graph.by_id.end()) return found;
  const std::vector<bool> seen = reachable(graph, copies->second, Walk::Descendants);
  for (size_t i = 0; i < seen.size(); ++i)
    if (seen[i]) found.insert(graph.revisions[i].id);
  return found;
}

}  // namespace alembic
