// How an `op.*` call is read: which Operations methods there are and the order of their
// parameters (as Alembic declares them), and a call's callee and arguments in tree-sitter
// terms. Used by the operations reader (operations.cpp) only.
#pragma once

#include <tree_sitter/api.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/operations.h"

namespace alembic::op_calls {

bool is(TSNode n, const char* type);

SourceRange range_of(TSNode n);

inline bool is_null(TSNode n) {
  return ts_node_is_null(n);
}

// The source text a node covers.
std::string_view node_text(std::string_view source, TSNode n);

TSNode first_named_child(TSNode n);

// f(child) for each named child that is not a comment, until f returns false.
void for_each_named_child(TSNode n, const std::function<bool(TSNode)>& f);

// The parameters of each op method, in order, as Alembic's Operations declares them; the
// batch form drops the table (BatchOperations takes it from batch_alter_table).
struct Signature {
  const char* function;
  OpKind kind;
  std::vector<const char*> params;
  std::vector<const char*> batch_params;
};

const std::vector<Signature>& signatures();

/// The signature of op method `function`, or nullptr.
const Signature* find_signature(std::string_view function);

// op.X calls that are not operations on the schema.
bool is_helper_call(std::string_view name);

// The last component of a callee: `sa.Column` -> Column, `Column` -> Column.
std::string_view callee_name(std::string_view source, TSNode call);

// A call's keyword arguments: the first of each name, names viewing the source.
template <class Node>
class BasicKeywords {
 public:
  using Item = std::pair<std::string_view, Node>;
  using const_iterator = typename std::vector<Item>::const_iterator;
  void add(std::string_view name, Node value) {
    if (find(name) == end()) items_.emplace_back(name, value);
  }
  const_iterator find(std::string_view name) const {
    for (auto it = items_.begin(); it != items_.end(); ++it)
      if (it->first == name) return it;
    return items_.end();
  }
  const_iterator end() const { return items_.end(); }

 private:
  std::vector<Item> items_;
};

template <class Node>
struct BasicArguments {
  std::vector<Node> positional;
  BasicKeywords<Node> keywords;  ///< the first of each name
  bool has_splat = false;        ///< *args / **kw: positions after it cannot be known
};
using Arguments = BasicArguments<TSNode>;

Arguments arguments_of(std::string_view source, TSNode call);

}  // namespace alembic::op_calls
