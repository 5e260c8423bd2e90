// tree-sitter-python access for the migration parser: one parser per thread, the
// node kinds it reads, and owning handles. Nothing here knows about Alembic.
#pragma once

#include <tree_sitter/api.h>

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
