#include "analysis/operations.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "analysis/operation_build.h"
#include "analysis/operation_calls.h"
#include "analysis/operations_flat.h"
#include "analysis/operations_parts.h"
#include "analysis/parse_literal.h"
#include "analysis/ts_python.h"

namespace alembic {

namespace {

using namespace op_calls;

class Reader {
 public:
  Reader(std::string_view source, size_t part_limit)
      : source_(source), build_(source), part_limit_(part_limit) {}

  MigrationOperations read() {
    MigrationOperations out;
    if (part_limit_ == 0) {
      ts::Tree tree = ts::parse_full(source_);
      if (!tree) return out;
      module(ts_tree_root_node(tree.get()));
      trees_.push_back(std::move(tree));
    } else {
      read_parts(parts::plan(source_, part_limit_));
    }
    // The last definition of a name is the one Python keeps.
    for (const auto& [start, body] : bodies_) functions_[body.name] = start;
    read_function("upgrade", out.upgrade);
    read_function("downgrade", out.downgrade);
    return out;
  }

 private:
  // A module-level function: the statements of its body, from one tree or from the
  // trees of several parts in order, and what no part holds.
  struct Body {
    std::string name;
    SourceRange name_range;
    std::vector<TSNode> statements;
    std::vector<UnreadPart> unread;
  };

  // Module-level functions (helpers may be called from upgrade()) and table() bindings.
  void module(TSNode root) {
    ts::for_each_named_child(root, [&](TSNode stmt) {
      TSNode def = definition_of(stmt);
      if (!ts_node_is_null(def)) {
        Body& body = bodies_[ts_node_start_byte(def)];
        if (body.name.empty()) {
          TSNode name = ts_node_child_by_field_name(def, "name", 4);
          body.name = std::string(ts::text(source_, name));
          body.name_range = range_of(name);
        }
        ts::for_each_named_child(ts_node_child_by_field_name(def, "body", 4), [&](TSNode s) {
          body.statements.push_back(s);
          return true;
        });
      } else {
        note_table_binding(stmt, module_tables_);
      }
      return true;
    });
  }

  void read_parts(const parts::Plan& plan) {
    for (const parts::PlannedPart& part : plan.parts) {
      const std::vector<TSRange>& ranges = part.ranges;
      ts::Tree tree = ts::parse_ranges(source_, ranges);
      if (!tree) {  // never seen: tree-sitter refused the ranges or gave up
        failed_ = UnreadPart{range_between(ranges.front(), ranges.back()),
                             "tree-sitter did not parse this part"};
        continue;
      }
      if (!part.skip.empty()) skip_[tree.get()].insert(part.skip.begin(), part.skip.end());
      module(ts_tree_root_node(tree.get()));
      trees_.push_back(std::move(tree));
    }
    for (const parts::Unread& u : plan.unread) {
      Body& body = bodies_[u.def_start];
      if (body.name.empty()) {
        body.name = std::string(u.name);
        body.name_range = u.name_range;
      }
      body.unread.push_back({u.range, u.reason});
    }
    // A binding no part holds makes its name unknown from there on.
    for (const parts::UnreadBinding& b : plan.unread_bindings) {
      auto it = module_binding_byte_.find(b.name);
      if (it == module_binding_byte_.end() || it->second < b.byte)
        module_tables_[std::string(b.name)] = "";
    }
  }

  static SourceRange range_between(const TSRange& a, const TSRange& b) {
    return {a.start_byte,         b.end_byte,      a.start_point.row,
            a.start_point.column, b.end_point.row, b.end_point.column};
  }

  struct Context {
    std::string helper;
    bool conditional = false;
    bool autocommit = false;
    std::map<std::string, OpValue, std::less<>> batches;     // alias -> table
    std::map<std::string, std::string, std::less<>> tables;  // name -> table() name
  };

  static TSNode definition_of(TSNode stmt) {
    if (is(stmt, "decorated_definition"))
      stmt = ts_node_child_by_field_name(stmt, "definition", 10);
    return is(stmt, "function_definition") ? stmt : TSNode{};
  }

  void read_function(const std::string& name, FunctionOperations& out) {
    auto it = functions_.find(name);
    if (it == functions_.end()) return;
    const Body& body = bodies_.at(it->second);
    out.name_range = body.name_range;
    out.body = body_kind(body);
    Context context;
    visiting_ = {name};
    unread_ = &out.unread;
    add_unread(body);
    for (TSNode stmt : body.statements) statement(stmt, context, out.operations);
    if (failed_) out.unread.push_back(*failed_);
  }

  void add_unread(const Body& body) {
    for (const UnreadPart& u : body.unread)
      if (std::find(unread_->begin(), unread_->end(), u) == unread_->end()) unread_->push_back(u);
  }

  // Decided by the first statement that does something; a statement not read before it
  // may be anything, and the body counts as Statements.
  static BodyKind body_kind(const Body& body) {
    uint32_t first_unread = UINT32_MAX;
    for (const UnreadPart& u : body.unread)
      first_unread = std::min(first_unread, u.range.start_byte);
    for (TSNode stmt : body.statements) {
      if (is(stmt, "pass_statement")) continue;
      if (is(stmt, "expression_statement")) {
        TSNode e = ts_node_named_child(stmt, 0);
        // A docstring or `...` does nothing.
        if (is(e, "string") || is(e, "concatenated_string") || is(e, "ellipsis")) continue;
      }
      if (ts_node_start_byte(stmt) > first_unread) return BodyKind::Statements;
      return is(stmt, "raise_statement") ? BodyKind::Raises : BodyKind::Statements;
    }
    return body.unread.empty() ? BodyKind::Empty : BodyKind::Statements;
  }

  void block(TSNode node, Context& context, std::vector<Operation>& out) {
    if (ts_node_is_null(node)) return;
    ts::for_each_named_child(node, [&](TSNode stmt) {
      statement(stmt, context, out);
      return true;
    });
  }

  void statement(TSNode stmt, Context& context, std::vector<Operation>& out) {
    if (!skip_.empty()) {  // held by its part only for the clause after it (parts::PlannedPart)
      auto it = skip_.find(stmt.tree);
      if (it != skip_.end() && it->second.count(ts_node_start_byte(stmt))) return;
    }
    if (is(stmt, "expression_statement")) {
      ts::for_each_named_child(stmt, [&](TSNode e) {
        expression(e, context, out);
        return true;
      });
    } else if (is(stmt, "with_statement")) {
      with_statement(stmt, context, out);
    } else if (is(stmt, "if_statement") || is(stmt, "for_statement") ||
               is(stmt, "while_statement") || is(stmt, "try_statement") ||
               is(stmt, "elif_clause") || is(stmt, "else_clause") || is(stmt, "except_clause") ||
               is(stmt, "finally_clause")) {
      Context inner = context;
      inner.conditional = true;
      ts::for_each_named_child(stmt, [&](TSNode child) {
        if (is(child, "block")) {
          block(child, inner, out);
        } else if (is(child, "elif_clause") || is(child, "else_clause") ||
                   is(child, "except_clause") || is(child, "finally_clause")) {
          statement(child, inner, out);
        }
        return true;
      });
      // A `for` or `if` may bind table() names used later in the function.
      for (auto& [k, v] : inner.tables) context.tables.emplace(k, v);
    }
  }

  void expression(TSNode e, Context& context, std::vector<Operation>& out) {
    if (is(e, "assignment")) {
      note_assignment(e, context.tables);
      TSNode right = ts_node_child_by_field_name(e, "right", 5);
      if (is(right, "call")) call(right, context, out);
    } else if (is(e, "call")) {
      call(e, context, out);
    } else if (is(e, "await")) {
      expression(ts_node_named_child(e, 0), context, out);
    }
  }

  void with_statement(TSNode stmt, Context& context, std::vector<Operation>& out) {
    Context inner = context;
    TSNode clause{};
    ts::for_each_named_child(stmt, [&](TSNode c) {
      if (is(c, "with_clause")) clause = c;
      return true;
    });
    if (!ts_node_is_null(clause)) {
      ts::for_each_named_child(clause, [&](TSNode item) {
        TSNode value = ts_node_child_by_field_name(item, "value", 5);
        TSNode alias{};
        if (is(value, "as_pattern")) {
          alias = ts_node_child_by_field_name(value, "alias", 5);
          value = ts_node_named_child(value, 0);
        }
        if (!is(value, "call")) return true;
        const std::string_view name = callee_name(source_, value);
        if (name == "autocommit_block") inner.autocommit = true;
        if (name == "batch_alter_table" && op_receiver(value, context)) {
          Arguments args = arguments_of(source_, value);
          OpValue table = build_.name_value(args, 0, "table_name");
          std::string alias_name = "batch_op";
          if (!ts_node_is_null(alias)) {
            TSNode id = is(alias, "identifier") ? alias : ts_node_named_child(alias, 0);
            alias_name = std::string(ts::text(source_, id));
          }
          inner.batches[alias_name] = table;
        }
        return true;
      });
    }
    block(ts_node_child_by_field_name(stmt, "body", 4), inner, out);
    for (auto& [k, v] : inner.tables) context.tables.emplace(k, v);
  }

  // Whether a call's receiver is `op` (or an alias bound by `with ... as`).
  bool op_receiver(TSNode call, const Context& context, bool* batch = nullptr) const {
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (!is(fn, "attribute")) return false;
    TSNode object = ts_node_child_by_field_name(fn, "object", 6);
    if (!is(object, "identifier")) return false;
    const std::string_view receiver = ts::text(source_, object);
    if (context.batches.count(receiver)) {
      if (batch) *batch = true;
      return true;
    }
    return receiver == "op";
  }

  void call(TSNode node, Context& context, std::vector<Operation>& out) {
    TSNode fn = ts_node_child_by_field_name(node, "function", 8);
    // A module-level helper called by name: its operations count as this function's.
    if (is(fn, "identifier")) {
      const std::string name(ts::text(source_, fn));
      auto it = functions_.find(name);
      if (it != functions_.end() && !visiting_.count(name) && visiting_.size() < 4) {
        visiting_.insert(name);
        Context inner;
        inner.helper = context.helper.empty() ? name : context.helper;
        inner.conditional = context.conditional;
        inner.autocommit = context.autocommit;
        const Body& body = bodies_.at(it->second);
        add_unread(body);
        for (TSNode stmt : body.statements) statement(stmt, inner, out);
        visiting_.erase(name);
      }
      return;
    }
    bool batch = false;
    if (!op_receiver(node, context, &batch)) return;
    const std::string_view function = callee_name(source_, node);
    if (is_helper_call(function)) return;
    Operation op;
    op.function = std::string(function);
    op.range = range_of(node);
    op.batch = batch;
    op.in_autocommit_block = context.autocommit;
    op.conditional = context.conditional;
    op.helper = context.helper;
    // A batch call of a method Alembic declares takes the batch's table (an unknown
    // method, kind Other, is read no further).
    const bool known = std::any_of(signatures().begin(), signatures().end(),
                                   [&](const Signature& s) { return s.function == function; });
    if (batch && known) {
      TSNode object = ts_node_child_by_field_name(fn, "object", 6);
      op.table = context.batches.find(ts::text(source_, object))->second;
    }
    build_.fill(node, op, [&](TSNode table) { return table_value(table, context); });
    out.push_back(std::move(op));
  }

  // bulk_insert's table: table("name", ...), or a name bound to one (or to create_table).
  OpValue table_value(TSNode node, const Context& context) const {
    if (is(node, "call")) {
      const std::string_view fn = callee_name(source_, node);
      if (fn == "table" || fn == "Table" || fn == "create_table") {
        Arguments args = arguments_of(source_, node);
        return build_.name_value(args, 0, "name");
      }
    }
    if (is(node, "identifier")) {
      const std::string_view id = ts::text(source_, node);
      auto it = context.tables.find(id);
      const auto* found = it != context.tables.end() ? &it->second : nullptr;
      if (!found) {
        auto m = module_tables_.find(id);
        if (m != module_tables_.end()) found = &m->second;
      }
      if (found && !found->empty()) {
        OpValue v;
        v.state = OpValue::State::Literal;
        v.text = *found;
        v.range = range_of(node);
        return v;
      }
    }
    return build_.value_of(node);
  }

  void note_table_binding(TSNode stmt, std::map<std::string, std::string, std::less<>>& tables) {
    if (!is(stmt, "expression_statement")) return;
    TSNode e = ts_node_named_child(stmt, 0);
    if (!is(e, "assignment")) return;
    note_assignment(e, tables);
    TSNode left = ts_node_child_by_field_name(e, "left", 4);
    if (is(left, "identifier"))
      module_binding_byte_[std::string(ts::text(source_, left))] = ts_node_start_byte(e);
  }

  // NAME = table("x", ...) / sa.table / op.create_table("x", ...): NAME names table x. Any
  // other assignment to NAME forgets it (an empty entry: unknown).
  void note_assignment(TSNode assignment,
                       std::map<std::string, std::string, std::less<>>& tables) const {
    TSNode left = ts_node_child_by_field_name(assignment, "left", 4);
    TSNode right = ts_node_child_by_field_name(assignment, "right", 5);
    if (!is(left, "identifier")) return;
    std::string name(ts::text(source_, left));
    std::string table;
    if (is(right, "call")) {
      const std::string_view fn = callee_name(source_, right);
      if (fn == "table" || fn == "Table" || fn == "create_table") {
        OpValue v = build_.name_value(arguments_of(source_, right), 0, "name");
        if (v.literal()) table = v.text;
      }
    }
    tables[name] = table;
  }

  std::string_view source_;
  OperationBuilder<TSNode> build_;
  size_t part_limit_;
  std::vector<ts::Tree> trees_;                             // every node read lives in one of them
  std::map<uint32_t, Body> bodies_;                         // by the byte the definition starts at
  std::map<std::string, uint32_t, std::less<>> functions_;  // name -> bodies_ key
  std::map<std::string, std::string, std::less<>> module_tables_;
  std::map<std::string, uint32_t, std::less<>> module_binding_byte_;
  std::optional<UnreadPart> failed_;
  std::map<const TSTree*, std::set<uint32_t>> skip_;  // by the tree of a part
  std::vector<UnreadPart>* unread_ = nullptr;         // of the function being read
  std::set<std::string> visiting_;
};

}  // namespace

MigrationOperations read_operations_tree(std::string_view source) {
  return detail::read_operations_tree(source,
                                      source.size() > ts::kMaxFullTree ? ts::kMaxFullTree : 0);
}

namespace detail {
MigrationOperations read_operations_tree(std::string_view source, size_t part_limit) {
  return Reader(source, part_limit).read();
}
}  // namespace detail

MigrationOperations read_operations(std::string_view source) {
  // Most migrations are straight lines of op.X(...) calls: read from tokens, no tree.
  if (std::optional<MigrationOperations> flat = read_operations_flat(source))
    return std::move(*flat);
  return read_operations_tree(source);
}

bool changes_schema(OpKind kind) {
  return kind != OpKind::Execute && kind != OpKind::BulkInsert && kind != OpKind::Other;
}

}  // namespace alembic
