// tree-sitter-python access for the migration parser: one parser per thread, the
// node kinds it reads, and owning handles. Nothing here knows about Alembic.
#pragma once

#include <tree_sitter/api.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace alembic::ts {

/// Node kinds of tree-sitter-python the extraction compares against.
struct Symbols {
  TSSymbol expression_statement, assignment, augmented_assignment, identifier, string,
      concatenated_string, parenthesized_expression, tuple, list, expression_list, none, comment;
  TSFieldId left, right;
};

/// The symbol ids, looked up once (thread-safe static initialisation).
const Symbols& symbols();

struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
using Tree = std::unique_ptr<TSTree, TreeDeleter>;

/// The largest text given to tree-sitter whole. Debian's tree-sitter 0.20.7 frees memory
/// twice once a node has 65,536 children or more (65,534 module-level comment lines made
/// the server abort at shutdown, "munmap_chunk(): invalid pointer"), and 70,000 comment
/// lines in a function body kept it parsing for minutes. Every child covers at least one
/// byte, but for zero-width INDENT/DEDENT/NEWLINE tokens, which are fewer than the bytes;
/// so a text under 32 KiB cannot give any node 65,536 children. Larger texts are read in
/// parts: the selected lines (parser.cpp), the definitions in parts of at most this size
/// (operations_parts.h).
inline constexpr size_t kMaxFullTree = 32 * 1024;

/// Parses `source` whole, reusing `old` (already ts_tree_edit-ed) when given.
/// Uses this thread's parser. Null only if tree-sitter gives up (never in practice).
Tree parse_full(std::string_view source, const TSTree* old = nullptr);

/// Parses only `ranges` of `source` (ordered, non-overlapping); node positions stay
/// in the coordinates of the whole source.
Tree parse_ranges(std::string_view source, const std::vector<TSRange>& ranges);

/// The source text a node covers.
inline std::string_view text(std::string_view source, TSNode n) {
  uint32_t a = ts_node_start_byte(n);
  uint32_t b = ts_node_end_byte(n);
  if (b > source.size()) b = static_cast<uint32_t>(source.size());
  if (a > b) a = b;
  return source.substr(a, b - a);
}

/// Calls f(child) for each named child of `n` that is not a comment, in order, and
/// stops early when f returns false. A cursor walk: ts_node_named_child(n, i) in a
/// loop costs O(n^2) on wide nodes.
template <typename F>
void for_each_named_child(TSNode n, F&& f) {
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    const TSSymbol comment = symbols().comment;
    do {
      TSNode child = ts_tree_cursor_current_node(&c);
      if (!ts_node_is_named(child) || ts_node_symbol(child) == comment) continue;
      if (!f(child)) break;
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

}  // namespace alembic::ts
