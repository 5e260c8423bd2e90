// Breadth-first walks over an analysed graph, one for every direction callers need.
#include <deque>

#include "analysis/graph.h"

namespace alembic {

std::vector<bool> reachable(const GraphAnalysis& graph, const std::vector<size_t>& from,
                            Walk walk) {
  std::vector<bool> seen(graph.revisions.size(), false);
  std::deque<size_t> queue;
  for (size_t r : from)
    if (r < seen.size()) queue.push_back(r);
  auto reach = [&](size_t r) {
    if (!seen[r]) seen[r] = true, queue.push_back(r);
  };
  // A child or dependent named by id is every copy of that id (Alembic lists them all);
  // a parent is the copy Alembic's revision map keeps.
  auto every_copy = [&](const std::vector<std::string>& ids) {
    for (const std::string& id : ids)
      if (auto copies = graph.by_id.find(id); copies != graph.by_id.end())
        for (size_t c : copies->second) reach(c);
  };
  while (!queue.empty()) {
    const Revision& at = graph.revisions[queue.front()];
    queue.pop_front();
    switch (walk) {
      case Walk::Parents:
        for (const std::string& parent : at.down_revisions)
          if (long p = graph.find(parent); p >= 0) reach(static_cast<size_t>(p));
        break;
      case Walk::Children:
        every_copy(at.children);
        break;
      case Walk::Descendants:
        every_copy(at.children);
        every_copy(at.dependents);
        break;
    }
  }
  return seen;
}

}  // namespace alembic
