// Finding revisions by what a person remembers of them: the start of the id, or some
// words of the message. Shared by completion and workspace symbols.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "analysis/graph.h"

namespace alembic {

/// How a query matched a revision; the order is the order of relevance.
enum class RevisionMatch {
  None,          ///< no match
  IdPrefix,      ///< the id starts with the query (an empty query matches every id)
  MessageWords,  ///< every word of the query starts a word of the message
};

/// Matches `query` against a revision (or branch label) `name` and its `message`, ignoring
/// case: an id prefix first, else message words in any order. Words are runs of letters
/// and digits, so `add_users` and `add users` are the same two words.
RevisionMatch match_revision(std::string_view query, std::string_view name,
                             std::string_view message);

/// The first line of a message, trimmed, cut to `max_chars` bytes (0: no limit) at a
/// UTF-8 character boundary with "…" appended when cut.
std::string message_summary(std::string_view message, size_t max_chars = 0);

/// Every id that comes after `id` in the history: its children, their children, ... and
/// the revisions that depend_on any of them, transitively (`id` itself excluded unless a
/// cycle leads back to it). Naming one of them in `id`'s down_revision or depends_on would
/// make a cycle, which Alembic refuses to load. Iterative: any depth, cycles are fine.
std::unordered_set<std::string> descendant_ids(const GraphAnalysis& graph, const std::string& id);

}  // namespace alembic
