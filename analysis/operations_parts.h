// Which bytes of a large migration the tree-sitter reader of operations gives to
// tree-sitter, and in how many parses: the plan for files over ts::kMaxFullTree.
//
// Why parts. Debian's tree-sitter 0.20.7 frees memory twice once a node has 65,536
// children and takes minutes on 70,000 comment lines in a block (ts_python.h), so a text
// over 32 KiB is never given to it whole. The reader needs only the module-level function
// definitions (upgrade(), downgrade() and the helpers they may call) and the module-level
// `NAME = ...` bindings (bulk_insert's table() names); everything else at module level is
// left out, and so is every blank and comment-only line (tree-sitter is given each logical
// line as an included range, positions staying those of the whole file), and the text
// between the quotes of each long string that is not an f-string: tree-sitter still makes
// the string node, from its opening to its closing quotes, and the reader decodes its value
// from the file's bytes (a 200 KiB SQL string costs tree-sitter nothing). What is left is
// packed, in source order, into parts of at most `limit` included bytes, each parsed on
// its own: a part's nodes cover its bytes, so no node can get 65,536 children, and the
// work is linear in the size of the file.
//
// A definition over the limit is cut at the boundaries of its body's statements: each
// part is the `def` line followed by a run of whole statements, which tree-sitter reads
// as that function with a shorter body; the reader joins the bodies of a definition's
// parts in order (keyed by where the definition starts). A compound statement over the
// limit (with, if/elif/else, for, while, try/except/finally, a nested def) is cut the same
// way inside, its header line repeated before each run of its body: the reader reads each
// copy as the same block entered again with the same context (the batch alias, the
// conditional, the autocommit block), which gives the same operations. A run in a later
// clause (`else:`) needs the first clause before it to be Python: that clause's header and
// its smallest statement go first, marked for the reader to skip. A statement that cannot
// be cut so (one logical line over the limit, a clause whose body is on its header line,
// indentation Python refuses) is not read: it is listed with its range and the reason, and
// its operations are never guessed.
#pragma once

#include <tree_sitter/api.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/model.h"

namespace alembic::parts {

/// Statements of a function left out of every part.
struct Unread {
  uint32_t def_start = 0;  ///< the byte the function's `def` (or `async`) starts at
  SourceRange range;       ///< the statements left out
  std::string reason;
  /// The function's name, which no part gives when none of its statements is read.
  std::string_view name;
  SourceRange name_range;
};

/// A module-level `NAME = ...` over the limit: NAME is then bound to something unknown.
struct UnreadBinding {
  uint32_t byte = 0;
  std::string_view name;
};

struct PlannedPart {
  std::vector<TSRange> ranges;  ///< ordered, disjoint
  /// Where statements start that the part holds only for tree-sitter to read valid
  /// Python (the first clause's statement before an `else:`): the reader skips them.
  std::vector<uint32_t> skip;
};

struct Plan {
  std::vector<PlannedPart> parts;  ///< in source order
  std::vector<Unread> unread;      ///< in source order
  std::vector<UnreadBinding> unread_bindings;
};

/// Plans the reading of `source` (any bytes) in parts of at most `limit` included bytes.
Plan plan(std::string_view source, size_t limit);

}  // namespace alembic::parts
