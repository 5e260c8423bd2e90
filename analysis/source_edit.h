// Edits to migration sources that keep Alembic able to load them: replacing an id inside
// its quotes, writing a down_revision value in the file's own quoting style, checking and
// generating revision ids. Shared by rename, rebase and the quick fixes. Byte offsets only:
// the server turns them into LSP ranges.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/graph.h"
#include "analysis/model.h"

namespace alembic {

/// Replace bytes [start, end) of the file at `path` with `new_text`.
struct TextEdit {
  std::string path;
  uint32_t start = 0;
  uint32_t end = 0;
  std::string new_text;
  bool operator==(const TextEdit&) const = default;
};

/// Rename the file `from` to `to` (absolute paths), after the text edits.
struct FileRename {
  std::string from;
  std::string to;
  bool operator==(const FileRename&) const = default;
};

/// Everything one rename or fix changes.
struct EditPlan {
  std::vector<TextEdit> edits;  ///< by path, then position; never overlapping
  std::vector<FileRename> renames;
};

/// The current text of a file (open document or disk).
using TextReader = std::function<std::string(const std::string& path)>;

/// Bytes [first, second) between the quotes of the plain literal written at
/// `value.range` of `source`, when its body is exactly `value.text` (no escapes, no
/// implicit concatenation, not a name bound to a literal). nullopt otherwise.
std::optional<std::pair<uint32_t, uint32_t>> literal_body(std::string_view source,
                                                          const StringValue& value);

/// An edit giving the string `value` (written in `path`, whose text is `source`) the
/// new content `text`, keeping its prefix and quotes. nullopt when `value` is not a
/// plain literal (see literal_body).
std::optional<TextEdit> replace_string(const std::string& path, std::string_view source,
                                       const StringValue& value, std::string_view text);

/// The quote a file writes its ids with: that of its `revision` literal, else that of
/// its first down_revision literal, else '\''.
char quote_style(std::string_view source, const ParsedMigration& parsed);

/// A Python value for down_revision / depends_on: `None`, `'a'`, `('a', 'b')`.
std::string python_ids(const std::vector<std::string>& ids, char quote);

/// Why `id` cannot be a new revision id of `graph` ("" when it can): empty, forbidden
/// characters (@ - + :), whitespace or quotes, or already an id or a branch label.
std::string revision_id_problem(const GraphAnalysis& graph, std::string_view id);

/// A new id as Alembic makes one (uuid4().hex[-12:]: 12 lowercase hex digits) that no
/// revision or label of `graph` uses.
std::string fresh_revision_id(const GraphAnalysis& graph, std::mt19937_64& random);
std::string fresh_revision_id(const GraphAnalysis& graph);  ///< seeded by random_device

/// Sorts a plan's edits by path and position and drops exact duplicates. Returns false
/// when two edits overlap (the plan is then unusable).
bool normalize(EditPlan& plan);

/// Indexes into graph.revisions of every revision reachable from `revision` through
/// children (down_revision edges, every copy of a duplicated id), `revision` included.
std::vector<bool> descendants_of(const GraphAnalysis& graph, size_t revision);

/// Indexes into graph.revisions of every ancestor of `revision` through down_revision
/// (the kept copy of each parent, as Alembic resolves it), `revision` included.
std::vector<bool> ancestors_of(const GraphAnalysis& graph, size_t revision);

}  // namespace alembic
